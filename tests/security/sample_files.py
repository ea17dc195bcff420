"""Small, real files of every kind the upload checks meet, built in memory for the tests."""

import io
import itertools
import struct
import zipfile

from PIL import Image

SECTOR = 512
FREE, END, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
# Streams at least this long live in ordinary sectors, so no mini-stream is needed.
MINI_STREAM_CUTOFF = 4096


def ole2_file(streams: dict[str, bytes]) -> bytes:
    """A minimal compound file (the container of .doc and .xls) holding ``streams``.

    Keys are paths such as ``"WordDocument"`` or ``"Macros/VBA/dir"``; storages on the
    way are created. Siblings are chained through their right-sibling links.
    """
    tree: dict = {}
    for path, data in streams.items():
        *storages, name = path.split("/")
        node = tree
        for storage in storages:
            node = node.setdefault(storage, {})
        node[name] = data.ljust(MINI_STREAM_CUTOFF, b"\0")

    entries = [["Root Entry", 5, None, b""]]  # name, type, first child index, data

    def add(children: dict) -> int:
        first = len(entries)
        indices = []
        for name, value in children.items():
            indices.append(len(entries))
            entries.append([name, 1 if isinstance(value, dict) else 2, None, b"" if isinstance(value, dict) else value])
        for index, value in zip(indices, children.values(), strict=True):
            if isinstance(value, dict) and value:
                entries[index][2] = add(value)
        for left, right in itertools.pairwise(indices):
            entries[left].append(right)
        return first

    entries[0][2] = add(tree)
    directory_sectors = -(-len(entries) // 4)
    data_start = 1 + directory_sectors
    fat = [FAT_SECTOR] + [n + 2 for n in range(directory_sectors - 1)] + [END]
    body = b""
    starts = {}
    for index, entry in enumerate(entries):
        data = entry[3]
        if entry[1] != 2:
            continue
        count = -(-len(data) // SECTOR)
        starts[index] = data_start + len(body) // SECTOR
        first = len(fat)
        fat += [first + n + 1 for n in range(count - 1)] + [END]
        body += data.ljust(count * SECTOR, b"\0")
    assert len(fat) <= SECTOR // 4, "sample too large for one FAT sector"
    fat_sector = struct.pack(f"<{SECTOR // 4}I", *(fat + [FREE] * (SECTOR // 4 - len(fat))))

    directory = b""
    for index, entry in enumerate(entries):
        name, kind, child, data = entry[:4]
        right = entry[4] if len(entry) > 4 else NO_STREAM
        encoded = (name + "\0").encode("utf-16-le")
        directory += struct.pack(
            "<64sHBBIII16sIQQIQ",
            encoded,
            len(encoded),
            kind,
            1,
            NO_STREAM,
            right,
            NO_STREAM if child is None else child,
            b"\0" * 16,
            0,
            0,
            0,
            starts.get(index, END if kind == 5 else 0),
            len(data),
        )
    unused = struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NO_STREAM, NO_STREAM, NO_STREAM, b"\0" * 16, 0, 0, 0, 0, 0)
    directory = directory.ljust(directory_sectors * SECTOR, b"\0")
    directory = b"".join(
        directory[n : n + 128] if n < len(entries) * 128 else unused for n in range(0, len(directory), 128)
    )

    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\0" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,
        1,
        1,
        0,
        MINI_STREAM_CUTOFF,
        END,
        0,
        END,
        0,
    ) + struct.pack("<109I", 0, *([FREE] * 108))
    return header + fat_sector + directory + body


def zip_file(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def docx(extra: dict[str, bytes] | None = None) -> bytes:
    return zip_file({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"<w:document/>", **(extra or {})})


def xlsx(extra: dict[str, bytes] | None = None) -> bytes:
    return zip_file({"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": b"<workbook/>", **(extra or {})})


def ofd() -> bytes:
    return zip_file({"OFD.xml": b'<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"/>', "Doc_0/Document.xml": b"<d/>"})


def pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n%%EOF\n"


GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAKE = 0x010F


def jpeg_with_gps(size=(40, 20), orientation: int | None = None) -> bytes:
    """A photo as a phone writes it: camera make, GPS position, and maybe a rotation flag."""
    exif = Image.Exif()
    exif[MAKE] = "SpyCam"
    exif[GPS_IFD] = {1: "N", 2: (22.0, 32.0, 1.5), 3: "E", 4: (116.0, 25.0, 2.5)}
    if orientation:
        exif[ORIENTATION] = orientation
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def png(size=(30, 30), mode="RGBA", text: dict[str, str] | None = None) -> bytes:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    for key, value in (text or {}).items():
        info.add_text(key, value)
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims enormous dimensions in a few bytes: a decompression bomb's calling card."""
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
