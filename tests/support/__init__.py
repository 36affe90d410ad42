"""What the tests share that is not a test, one module per job:

    leaks          counting descriptors, threads, child processes and suspended tasks
    reruns         a notebook kernel's counts across runs; each notebook's second run
    timing         hard time bounds (a hang becomes a failure) and polling
    ci             a learner's machine may skip a check that needs a missing tool; CI may not
    fakes          stand-ins for the service, and clients that give up sooner
    network        who listens on a port
    processes      whether a process runs, the ones below it, stopping them
    signals        Ctrl-C on cue; SIGTERM as pytest's orderly exit; uncut cleanups
    chromium       the browser test's Chromium: found, installed, launched
    lab            the browser test's JupyterLab: isolated, started, stopped
    page           the browser test's driver of one notebook page, and its checks
    page_scripts   the JavaScript that page runs inside the browser
    notebook_file  what a saved notebook says the kernel sent
    course_script  course.py loaded as a module, to call its functions

Test files import them as `from support.leaks import snapshot`: pytest puts tests/ on
sys.path, because tests/ holds a conftest.py and no __init__.py.
"""
