"""The web edition: a composed issue → an HTML5 page (render --html), and the static archive of
published issues (bulletin site). Pure like the .docx writer: it returns {relative path: bytes} and
reads no file but its own package data (the stylesheet and the search script)."""
