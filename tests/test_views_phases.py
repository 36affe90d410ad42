"""helpers.views.phases: the plots of where one request's time goes, and their numbers."""
import matplotlib.pyplot as plt
import pytest

from helpers.clients import PHASES, time_phases, waiting_share
from helpers.views import (format_ms, format_percent, plot_phase_durations, plot_request_timeline,
                           plot_time_shares, plot_where_the_time_goes)

SERVICE_DELAY = 0.1  # seconds, for the `service` fixture: waiting is most of each request


def test_the_plots_draw_every_phase_and_the_services_records(service):
    service.reset()
    phases = [time_phases(service.address, service.path) for _ in range(2)]
    records = service.stats().records
    fig, (top, bottom) = plt.subplots(2)
    plot_request_timeline(phases, records, title="timeline", ax=top)
    assert len(top.patches) == 2 * (len(PHASES) + 1)  # four phases and one service bar each
    labels = [t.get_text() for t in top.get_legend().get_texts()]
    assert labels == [f"client: {name}" for name in PHASES] + ["service: arrived → answered"]
    assert "(s)" in top.get_xlabel()
    plot_phase_durations(phases, title="durations", ax=bottom)
    assert len(bottom.patches) == len(PHASES)
    assert bottom.get_xscale() == "log" and "ms" in bottom.get_xlabel()
    plt.close(fig)


def test_the_timeline_draws_without_records_and_refuses_no_requests(service):
    phases = [time_phases(service.address, service.path)]
    fig, ax = plt.subplots()
    plot_request_timeline(phases, title="client only", ax=ax)
    assert len(ax.patches) == len(PHASES)
    with pytest.raises(ValueError, match="No requests"):
        plot_request_timeline([], title="empty", ax=ax)
    with pytest.raises(ValueError, match="No requests"):
        plot_phase_durations([], title="empty", ax=ax)
    with pytest.raises(ValueError, match="No requests"):
        plot_time_shares([], title="empty", ax=ax)
    with pytest.raises(ValueError, match="No requests"):
        waiting_share([])
    plt.close(fig)


def test_numbers_on_the_plots_are_written_plainly():
    assert format_ms(1001.98) == "1,002 ms"
    assert format_ms(12.54) == "12.5 ms"
    assert format_ms(0.1492) == "0.149 ms"
    assert format_percent(0.9997) == "99.97 %"  # not rounded up to 100
    assert format_percent(0.5) == "50.0 %"
    assert format_percent(0.0003) == "0.03 %"


def test_the_linear_share_bar_and_the_log_axis_say_the_same_thing_plainly(service, monkeypatch):
    phases = [time_phases(service.address, service.path) for _ in range(2)]
    fig, (top, bottom) = plt.subplots(2)
    plot_time_shares(phases, title="shares", ax=top)
    assert len(top.patches) == len(PHASES)
    assert sum(bar.get_width() for bar in top.patches) == pytest.approx(100)
    assert top.get_xscale() == "linear" and "%" in top.get_xlabel()
    texts = [t.get_text() for t in top.texts]
    assert f"wait: {format_percent(waiting_share(phases))} of the time" in texts
    plot_phase_durations(phases, title="durations", ax=bottom)
    fig.canvas.draw()
    labels = [t.get_text() for t in bottom.texts] + [t.get_text() for t in bottom.get_xticklabels()]
    assert not any("e+" in label or "e-" in label for label in labels), labels
    plt.close(fig)

    shown = []
    monkeypatch.setattr(plt, "show", lambda: shown.append(plt.gcf()))
    plot_where_the_time_goes(phases, title="where the time goes")
    [figure] = shown
    assert figure.get_suptitle() == "where the time goes" and len(figure.axes) == 2
    plt.close(figure)
