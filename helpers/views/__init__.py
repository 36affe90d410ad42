"""Everything the course shows: plots, timelines, the loop's trace, and widgets.

The only modules that import matplotlib or ipywidgets or build HTML, so that the
service, clients, loops, strategies and measurements run without them.
"""
from .code import side_by_side
from .axes import finish_latency_axes, new_axes
from .benchmark import plot_benchmark, plot_scaling
from .latency import plot_comparison, plot_latency
from .phases import (format_ms, format_percent, plot_phase_durations, plot_request_timeline,
                     plot_time_shares, plot_where_the_time_goes)
from .pools import plot_gantt, plot_staircase
from .readiness import plot_readiness
from .timeline import plot_timeline, plot_timelines, plot_waits
from .trace import describe, step_through, task_states, trace_table
from .widgets import (delay_slider, request_counts_input, request_slider, rerun,
                      strategy_picker)

__all__ = ["delay_slider", "describe", "finish_latency_axes", "format_ms", "format_percent",
           "new_axes", "plot_benchmark", "plot_comparison", "plot_gantt", "plot_latency",
           "plot_phase_durations", "plot_readiness", "plot_request_timeline", "plot_scaling",
           "plot_staircase", "plot_time_shares", "plot_timeline", "plot_timelines",
           "plot_waits", "plot_where_the_time_goes", "request_counts_input", "request_slider",
           "rerun", "side_by_side", "step_through", "strategy_picker", "task_states",
           "trace_table"]
