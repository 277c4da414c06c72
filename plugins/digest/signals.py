"""Signals of the digest build, in the order they fire.

Receivers are weakly referenced (blinker): define them at module level.
"""

from blinker import signal

# Once per Markdown file, after its front matter is valid and before Markdown is rendered.
# sender: SourceText. Receivers may rewrite sender.body (Markdown) and sender.meta.
source_loaded = signal("digest.source_loaded")

# Once per Markdown file, after rendering. sender: SourceText with .html set; receivers may rewrite it.
html_rendered = signal("digest.html_rendered")

# Once per build, when every post is read and grouped into stories. sender: Site.
# Receivers add translations (story.versions) and taxonomies (site.taxonomies, story.terms).
site_assembled = signal("digest.site_assembled")

# Once per build, when every page of the site is rendered and before the output is finished
# (stale files removed, manifest saved). sender: the Renderer. Receivers may write more pages with
# renderer.page (drafts) and index what was written (search).
site_rendered = signal("digest.site_rendered")

# Whenever the site shows a string that is not a post's (a UI string, a topic or company label or
# description). sender: the language; text=the string. A receiver returns the string typeset for
# that language (the cleaning plugin: the same typography as the posts); receivers run in turn.
text_shown = signal("digest.text_shown")
