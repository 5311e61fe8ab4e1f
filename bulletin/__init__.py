"""bulletin — publish a numbered work bulletin (工作简报) as a print-ready .docx."""

__version__ = "0.1.0"
