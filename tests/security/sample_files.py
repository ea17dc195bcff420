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


DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
RELATIONSHIPS = "application/vnd.openxmlformats-package.relationships+xml"
WORD_NAMESPACE = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RELATIONSHIP_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def content_types(overrides: dict[str, str], defaults: dict[str, str] | None = None) -> bytes:
    """A [Content_Types].xml declaring rels and xml parts, plus ``defaults`` by extension and ``overrides`` by part."""
    defaults = {"rels": RELATIONSHIPS, "xml": "application/xml", **(defaults or {})}
    entries = [f'<Default Extension="{ext}" ContentType="{kind}"/>' for ext, kind in defaults.items()]
    entries += [f'<Override PartName="/{part}" ContentType="{kind}"/>' for part, kind in overrides.items()]
    xmlns = "http://schemas.openxmlformats.org/package/2006/content-types"
    return f'<?xml version="1.0"?><Types xmlns="{xmlns}">{"".join(entries)}</Types>'.encode()


def relationships(*entries: tuple[str, str, str]) -> bytes:
    """A .rels part of (type name, target, target mode) entries."""
    xml = "".join(
        f'<Relationship Id="rId{n}" Type="{RELATIONSHIP_TYPES}/{kind}" Target="{target}"'
        + (f' TargetMode="{mode}"' if mode else "")
        + "/>"
        for n, (kind, target, mode) in enumerate(entries, start=1)
    )
    return f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{xml}</Relationships>'.encode()


def docx(
    extra: dict[str, bytes] | None = None, *, main=DOCX_MAIN, defaults=None, overrides=None, body: bytes = b""
) -> bytes:
    """A .docx as Word writes its skeleton: content types, package relationships and the main part."""
    return zip_file(
        {
            "[Content_Types].xml": content_types({"word/document.xml": main, **(overrides or {})}, defaults),
            "_rels/.rels": relationships(("officeDocument", "word/document.xml", "")),
            "word/document.xml": f'<w:document xmlns:w="{WORD_NAMESPACE}"><w:body>'.encode()
            + body
            + b"</w:body></w:document>",
            **(extra or {}),
        }
    )


def xlsx(extra: dict[str, bytes] | None = None, *, main=XLSX_MAIN, defaults=None) -> bytes:
    return zip_file(
        {
            "[Content_Types].xml": content_types({"xl/workbook.xml": main}, defaults),
            "_rels/.rels": relationships(("officeDocument", "xl/workbook.xml", "")),
            "xl/workbook.xml": b"<workbook/>",
            **(extra or {}),
        }
    )


def ofd(
    extra: dict[str, bytes] | None = None, *, root: bytes = b'<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"/>'
) -> bytes:
    return zip_file({"OFD.xml": root, "Doc_0/Document.xml": b"<d/>", **(extra or {})})


def pdf_made_by_pypdf(
    *, javascript: str = "", attachment: bytes = b"", user_password: str = "", owner_password: str = ""
) -> bytes:
    """A one-page PDF written by pypdf, optionally with an opening script, an embedded file or encryption."""
    from pypdf import PdfWriter
    from pypdf.actions import JavaScript

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if javascript:
        writer.add_open_action(JavaScript(javascript))
    if attachment:
        writer.add_attachment("附件.exe", attachment)
    if user_password or owner_password:
        writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf(*objects: bytes, catalog: bytes = b"", head: bytes = b"") -> bytes:
    """A well-formed PDF: a catalog, an empty page tree and ``objects`` (numbered from 3), with its xref table.

    ``catalog`` adds entries to the catalog (``/OpenAction 3 0 R``); ``head`` goes right
    after the header line, where a polyglot hides its HTML.
    """
    bodies = [b"<</Type/Catalog/Pages 2 0 R%s>>" % catalog, b"<</Type/Pages/Kids[]/Count 0>>", *objects]
    out = b"%PDF-1.4\n" + head
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref)
    return out


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


def jpeg_with_comment(comment: bytes) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (30, 30, 200)).save(buffer, "JPEG", comment=comment)
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
