"""The storage layer: every SQL statement of qcdesk lives in this package."""
