"""Bytes to text: byte-order marks, UTF-8, UTF-16 without a BOM, legacy
single-byte encodings (charset-normalizer), and binary detection.

:func:`decode_bytes` returns a :class:`Decoded` or raises :class:`DecodeFailure`
whose message is one sentence a person understands; the loader turns it into a
row of the ``errors`` frame.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

__all__ = ["Decoded", "DecodeFailure", "decode_bytes", "binary_kind"]


class DecodeFailure(Exception):
    """The bytes are not text in any encoding we can recognise."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    note: str | None = None  # e.g. "3 undecodable bytes replaced by U+FFFD"


# (magic prefix, human name); checked before any decoding attempt.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-zip archive"),
    (b"PAR1", "Parquet file"),
    (b"\x7fELF", "executable"),
    (b"MZ", "Windows executable"),
    (b"RIFF", "RIFF media file"),
    (b"ID3", "MP3 audio"),
    (b"OggS", "Ogg media file"),
    (b"\x00\x00\x00\x18ftyp", "MP4 video"),
    (b"\x00\x00\x00\x20ftyp", "MP4 video"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office document"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# C0 controls other than tab, newline, carriage return, form feed; DEL; C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_MAX_CONTROL_SHARE = 0.01
_MAX_REPLACEMENT_SHARE = 0.001


def binary_kind(data: bytes) -> str | None:
    """Name of a known binary format when ``data`` starts with its signature."""
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    return None


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    return len(_CONTROL.findall(text)) / len(text)


def _checked(text: str, encoding: str, note: str | None = None) -> Decoded:
    if _control_share(text) > _MAX_CONTROL_SHARE:
        raise DecodeFailure(
            f"the file looks binary: decoded as {encoding} it is full of control characters"
        )
    return Decoded(text=text, encoding=encoding, note=note)


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when every other byte is mostly NUL (ASCII-heavy UTF-16)."""
    if len(data) < 4 or len(data) % 2:
        return None
    pairs = len(data) // 2
    even_nul = data[0::2].count(0) / pairs
    odd_nul = data[1::2].count(0) / pairs
    if odd_nul > 0.3 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.3 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def _cp1252_text(data: bytes) -> str | None:
    """The windows-1252 reading of ``data`` when it looks like Western European
    text: every byte defined, no control characters, and at most 30% of the
    letters outside ASCII (Cyrillic or Greek bytes read as 1252 give mostly
    accented letters: "Âëàäèìèð")."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    if _CONTROL.search(text):
        return None
    letters = [ch for ch in text if ch.isalpha()]
    if not letters or sum(1 for ch in letters if ord(ch) > 0x7F) / len(letters) > 0.3:
        return None
    return text


def _prefer(data: bytes, results) -> tuple[str, str]:
    """(text, encoding) for a legacy single-byte file.

    charset-normalizer alone ranks cp1250/cp1257 first for short French or
    German Latin-1 text ("trčs" for "très"): its language coherence often ties
    on short texts. So windows-1252 (by far the most common legacy encoding of
    news text, and a superset of Latin-1's printable range) wins when its
    reading is clean and no other candidate is clearly more coherent; otherwise
    the detector's least-chaos, most-coherent candidate wins.
    """
    cp1252 = _cp1252_text(data)
    best_coherence = max((r.coherence for r in results), default=0.0)
    if cp1252 is not None:
        own = [r.coherence for r in results if "cp1252" in r.could_be_from_charset or r.encoding == "cp1252"]
        if (own and max(own) >= best_coherence - 0.02) or (not own and best_coherence < 0.1):
            return cp1252, "cp1252"
    if not results:
        raise DecodeFailure("the bytes cannot be decoded as text in any known encoding")
    ranked = sorted(enumerate(results), key=lambda ir: (round(ir[1].chaos, 3), -round(ir[1].coherence, 3), ir[0]))
    best = ranked[0][1]
    return str(best), best.encoding


def decode_bytes(data: bytes) -> Decoded:
    """Decode ``data`` to text or raise :class:`DecodeFailure` with a reason."""
    kind = binary_kind(data)
    if kind:
        raise DecodeFailure(f"the file is a {kind}, not text")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data[len(bom):].decode(encoding), f"{encoding} (with BOM)")
            except UnicodeDecodeError:
                raise DecodeFailure(f"the file starts with a {encoding} byte-order mark but its bytes are not valid {encoding}") from None
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            return _checked(data.decode(utf16), f"{utf16} (no BOM)")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise DecodeFailure("the file looks binary: it contains NUL bytes and is not UTF-16 text")
    # Mostly UTF-8 with a few broken bytes: keep it as UTF-8 rather than
    # re-reading the whole file in a legacy encoding (mojibake everywhere).
    replaced = data.decode("utf-8", errors="replace")
    n_bad = replaced.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    multibyte = sum(1 for ch in replaced if ord(ch) > 0x7F and ch != "\ufffd")
    if multibyte >= 3 * n_bad and n_bad / max(len(replaced), 1) <= _MAX_REPLACEMENT_SHARE:
        return _checked(
            replaced,
            "utf-8",
            note=f"{n_bad} undecodable byte(s) replaced by U+FFFD (the rest of the file is UTF-8)",
        )
    try:
        from charset_normalizer import from_bytes

        results = list(from_bytes(data))
    except Exception:  # pragma: no cover - detector bug on odd input
        results = []
    text, encoding = _prefer(data, results)
    return _checked(text, encoding)
