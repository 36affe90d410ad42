"""What the tests share that is not a test: counting what a process holds, time
bounds, stand-ins for the service, and the browser test's JupyterLab and page."""
