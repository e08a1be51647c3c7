//! Markdown bodies to HTML: pulldown-cmark options in one place.
