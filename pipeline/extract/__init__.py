"""Building blocks of the boilerplate stage: parsing, text blocks, label vocabulary, metadata blocks,
text renderings, listing pages and generic main-text extraction. The stage itself is
``pipeline.stages.boilerplate``; these modules hold no state between documents."""
