"""The build pipeline: YAML in, a static site out. Data flows one way, one module per stage:

    load        YAML files with the line and column of every value; limits on size, depth, aliases
    validate/   schema and meaning of every file, every problem at once as file:line: what — how
    compile     the JSON form the engine reads (procedures; posts with their closing days)
    model       load_content(): everything loaded, validated and compiled (Content)
    locale_data, closing_days   what the browser cannot compute: CLDR formats, public holidays
    layout      the site's file names, in one place
    render      Jinja templates -> Markdown per post and language (wizard_pages: the wizard's pages)
    site        the MkDocs builds, into a folder the build owns (outdir), swapped in atomically;
                csp and theme/ (MkDocs hooks) give every page its Content-Security-Policy;
                template_cache: the theme's templates compiled once per process, not per build
    builds      the post × language builds in parallel processes; fingerprints keep unchanged ones
    shared_assets   theme files, styles and the wizard's front end once in _assets/, named relatively
    shards      build --shard I/N and merge: a network built on several machines, the same bytes
    runtime     the wizard's Pyodide runtime in _wizard/ (runtime_node.mjs: Pyodide under Node)
    export      the machine-readable JSON per post and language; translations: PO files
    publish     last, for the web only: sitemap.xml, robots.txt, _headers, .br and .gz of big files
    usb, archive, screenshots, diff, report, flow: the copy for a stick, zips, pictures for
                reviewers, what an edit changes, translation status, editors' diagrams

The decision engine and everything the browser runs is in `wizard/` (standard library only);
`build.py` is the command line and the only place that prints.
"""
