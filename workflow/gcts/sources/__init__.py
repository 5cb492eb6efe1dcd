"""Where the texts come from: the manifest, the checksums, PDF/DOCX conversion, inbox and fetch, the paragraph tables."""
