"""Code lookup: ICD-10-CM, HCPCS Level II, CPT (by licence), modifiers and place of service."""
