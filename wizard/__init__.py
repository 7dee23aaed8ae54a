"""The wizard: the pure decision engine (standard library only, runs in CPython and Pyodide).

`engine.evaluate` answers one step, `paths.enumerate_paths` walks every path, `present` turns
results into labelled text in one language. The browser front end lives in `wizard/web/`.
"""
