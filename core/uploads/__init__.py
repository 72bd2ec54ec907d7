"""What an uploaded file is, decided from its content before anything is stored.

A file is accepted only when its bytes are one of the kinds in `FILE_TYPES` and its name
ends in one of that kind's extensions. Images are also opened with Pillow, limited to the
one decoder their content calls for, and refused when their header claims more pixels than
we are willing to decode. Only the head of a file, a ZIP central directory and an image
header are read, never a whole file: `reader.BoundedReader` enforces that.

- `types`: the kinds of file we accept, and `UploadRejected`
- `inspection`: `inspect_upload`, the one check an upload goes through, and `open_image`
- `sniff`: what a file's bytes say it is
- `reader`: the read budget every check shares
- `wording`: advice and phrasing shared by the refusals
- `names`: file names made safe to keep and show
"""

from core.uploads.inspection import damaged_image, inspect_upload, open_image
from core.uploads.names import extension_of, safe_display_name
from core.uploads.types import (
    ACCEPTED_EXTENSIONS,
    FILE_TYPES,
    PILLOW_FORMATS,
    FileType,
    MediaKind,
    UploadRejected,
)

__all__ = [
    "ACCEPTED_EXTENSIONS",
    "FILE_TYPES",
    "PILLOW_FORMATS",
    "FileType",
    "MediaKind",
    "UploadRejected",
    "damaged_image",
    "extension_of",
    "inspect_upload",
    "open_image",
    "safe_display_name",
]
