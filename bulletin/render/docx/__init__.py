"""The .docx writer: raw OOXML helpers (oxml), the package, and the writer phases."""
