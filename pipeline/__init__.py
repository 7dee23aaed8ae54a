"""The build pipeline: load + validate YAML, compile the model, render Markdown, build the sites.

Data flows one way: `load` (YAML with line numbers) -> `validate` (schema and meaning, every
problem at once) -> `model` (the compiled content the engine, the renderer and the browser read)
-> `render` (Jinja -> Markdown per post and language) -> `site` (MkDocs builds, swapped in atomically).
"""
