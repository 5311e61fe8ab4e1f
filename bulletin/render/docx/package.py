"""The OPC package: parts, relationships, content types, and a deterministic zip.

Every zip entry gets the same fixed timestamp and attributes and entries are written in a fixed
order, so the same issue always gives a byte-identical .docx (reproducible builds, clean diffs).
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from io import BytesIO

from bulletin.render.docx.oxml import esc

XML_HEADER = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

CT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
CT_STYLES = "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"
CT_SETTINGS = "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"
CT_FOOTER = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
CT_FONTS = "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"
CT_THEME = "application/vnd.openxmlformats-officedocument.theme+xml"
CT_CORE = "application/vnd.openxmlformats-package.core-properties+xml"
CT_APP = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
IMAGE_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "jpg": "image/jpeg", "gif": "image/gif",
               "bmp": "image/bmp"}


@dataclass
class Package:
    """Parts of a .docx being built; `document_rels` collects relationships of word/document.xml."""

    parts: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # name -> (data, content type)
    document_rels: list[tuple[str, str, str]] = field(default_factory=list)  # (id, type, target)

    def add(self, name: str, data: str | bytes, content_type: str) -> None:
        if isinstance(data, str):
            data = (XML_HEADER + data).encode("utf-8")
        self.parts[name] = (data, content_type)

    def relate(self, rel_type: str, target: str) -> str:
        """Add a relationship from the main document; returns its id (rId1, rId2 … in order)."""
        rid = f"rId{len(self.document_rels) + 1}"
        self.document_rels.append((rid, f"{RT}/{rel_type}", target))
        return rid

    def add_media(self, data: bytes, ext: str) -> str:
        """Store a picture once per distinct content; returns the relationship id."""
        ext = "jpeg" if ext.lower() in ("jpg", "jpeg") else ext.lower()
        for rid, _type, target in self.document_rels:
            if target.startswith("media/") and self.parts.get(f"word/{target}", (None,))[0] == data:
                return rid
        name = f"media/image{sum(1 for r in self.document_rels if r[2].startswith('media/')) + 1}.{ext}"
        self.parts[f"word/{name}"] = (data, IMAGE_TYPES[ext])
        return self.relate("image", name)

    def to_bytes(self) -> bytes:
        """The zipped package, byte-identical for identical parts."""
        rels = "".join(f'<Relationship Id="{rid}" Type="{t}" Target="{esc(target)}"/>'
                       for rid, t, target in self.document_rels)
        self.add("word/_rels/document.xml.rels", f'<Relationships xmlns="{_REL_NS}">{rels}</Relationships>',
                 "")
        self.add("_rels/.rels",
                 f'<Relationships xmlns="{_REL_NS}">'
                 f'<Relationship Id="rId1" Type="{RT}/officeDocument" Target="word/document.xml"/>'
                 f'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
                 f'metadata/core-properties" Target="docProps/core.xml"/>'
                 f'<Relationship Id="rId3" Type="{RT}/extended-properties" Target="docProps/app.xml"/>'
                 f'</Relationships>', "")
        defaults = {"rels": "application/vnd.openxmlformats-package.relationships+xml",
                    "xml": "application/xml"}
        for name, (_, ctype) in self.parts.items():
            ext = name.rsplit(".", 1)[-1]
            if ctype in IMAGE_TYPES.values():
                defaults[ext] = ctype
        overrides = "".join(f'<Override PartName="/{name}" ContentType="{ctype}"/>'
                            for name, (_, ctype) in sorted(self.parts.items())
                            if ctype and ctype not in IMAGE_TYPES.values())
        dflt = "".join(f'<Default Extension="{ext}" ContentType="{ctype}"/>' for ext, ctype in sorted(defaults.items()))
        content_types = (XML_HEADER + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                         + dflt + overrides + "</Types>").encode("utf-8")
        buffer = BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            entries = [("[Content_Types].xml", content_types)]
            entries += [(name, data) for name, (data, _) in sorted(self.parts.items(), key=_part_order)]
            for name, data in entries:
                info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                info.create_system = 0
                zf.writestr(info, data, compresslevel=6)
        return buffer.getvalue()


def _part_order(item) -> tuple:
    name = item[0]
    return (0 if name.startswith("_rels") else 1 if name.startswith("docProps") else 2, name)
