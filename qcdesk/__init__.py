"""qcdesk: qualitative coding of interview transcripts in one local project file."""

__version__ = "0.1.0"
APP_NAME = "qcdesk"
PROJECT_SUFFIX = ".qcdesk"
