"""Reports as official documents (公文) in the layout of GB/T 9704-2012: .docx and PDF."""
