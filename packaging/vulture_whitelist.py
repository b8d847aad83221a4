"""Names the dead-code check (vulture, run by ``packaging/dev.py lint``) cannot see being used.

Only what is used from outside Python's sight belongs here: attributes that third-party objects
read when qcdesk sets them (python-docx, openpyxl, zipfile). Qt's overridden methods, the importers
found by name and the schema steps are ignored in ``[tool.vulture]`` of pyproject.toml.
Code nothing calls is deleted, not listed.
"""

# ruff: noqa
_ = object()

# python-docx: paragraph and section formats, styles, core properties (read when the file is saved)
_.top_margin, _.bottom_margin, _.header_distance, _.footer_distance
_.line_spacing, _.left_indent, _.right_indent, _.base_style, _.quick_style, _.autofit
_.is_linked_to_previous, _.subject, _.keywords, _.revision, _.last_modified_by, _.page_height
_.keep_with_next
# python-docx: the writer's own style handles, and parts patched in place
_.st_source, _.st_note, _.st_table, _.st_dense, _.st_meta, _._header, _._blob
# python-docx's table element: its style, written when the file is saved
_.tblStyle_val
# openpyxl cells and sheets
_.number_format, _.data_type, _.freeze_panes
# zipfile entries
_.compress_type
# rtf reader: \deff (the default font) is recorded, not used yet; the branch keeps the word from other branches
_.default_font
# socketserver and http.server: read by the server (handler threads not waited for, daemons; a response that ends the connection)
_.block_on_close, _.daemon_threads, _.close_connection, _.protocol_version
