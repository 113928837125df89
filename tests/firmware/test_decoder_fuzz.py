"""Fuzzing the decoder: whatever a board (or a broken cable) sends, nothing escapes.

Properties: no exception; bounded memory; a damaged frame never comes out as a Frame; the
first whole frame after any garbage is decoded (resynchronisation within one frame).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from untact.firmware import protocol

token = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_.,:=+-", min_size=1,
                max_size=24)  # 4 of these always fit in MAX_FRAME
frames = st.builds(
    lambda kind, seq, args: protocol.encode(kind, seq, args),
    st.sampled_from(list(protocol.KINDS)),
    st.integers(0, protocol.SEQ_MOD - 1),
    st.lists(token, max_size=4),
)


def decode_all(chunks):
    d = protocol.Decoder()
    out = []
    for c in chunks:
        out.extend(d.feed(c))
        assert len(d._buf) <= protocol.MAX_FRAME + protocol.MAX_TEXT
    return d, out


def frames_of(items):
    return [i for i in items if isinstance(i, protocol.Frame)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.binary(max_size=300), max_size=10))
def test_random_bytes_never_raise(chunks):
    d, items = decode_all(chunks)
    for item in items:
        if isinstance(item, protocol.Frame):  # only a CRC-valid frame can come out ...
            assert protocol.encode(item.kind, item.seq, item.args).rstrip(b"\n") in b"".join(chunks)
        else:
            assert len(item.data) <= protocol.MAX_TEXT


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400), frames, frames)
def test_resynchronises_within_one_frame_after_garbage(garbage, first, second):
    """Garbage (no newline needed) then frames: the first whole frame after it comes out."""
    garbage = garbage.replace(b"@", b"#")[:protocol.MAX_FRAME]  # '@' would start a frame
    _, items = decode_all([garbage, first, second])
    got = frames_of(items)
    assert [protocol.encode(f.kind, f.seq, f.args) for f in got] == [first, second]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=1000), frames)
def test_any_garbage_costs_at_most_the_frame_it_touches(garbage, frame):
    """Even garbage with '@' and newlines: the frame after garbage + a newline survives."""
    _, items = decode_all([garbage, b"\n", frame])
    assert frames_of(items)[-1:] == frames_of(protocol.Decoder().feed(frame))


@settings(max_examples=400, deadline=None)
@given(frames, st.data())
def test_bit_flips_never_make_an_event(frame, data):
    """1 to 3 flipped bits (CRC-16/CCITT detects every such error): the frame is dropped,
    and the next good frame still comes through."""
    body = bytearray(frame)
    nbits = data.draw(st.integers(1, 3))
    positions = data.draw(st.lists(st.integers(0, len(frame) * 8 - 1), min_size=nbits,
                                   max_size=nbits, unique=True))
    for p in positions:
        body[p // 8] ^= 1 << (p % 8)
    follow = protocol.encode("B", 7)
    _, items = decode_all([bytes(body), b"\n", follow])
    got = frames_of(items)
    assert got[-1] == protocol.Frame("B", 7, [])
    assert all(f == protocol.Frame("B", 7, []) for f in got), got


@settings(max_examples=200, deadline=None)
@given(frames, st.data())
def test_truncated_frames_are_dropped(frame, data):
    cut = data.draw(st.integers(1, len(frame) - 2))
    _, items = decode_all([frame[:cut], b"\n", frame])
    assert len(frames_of(items)) == 1  # only the whole one


@settings(max_examples=100, deadline=None)
@given(st.integers(protocol.MAX_FRAME, 5000), st.booleans(), frames)
def test_oversized_lines_are_bounded(length, with_newline, frame):
    junk = b"@E 1 " + b"x" * length
    chunks = [junk[i:i + 97] for i in range(0, len(junk), 97)]
    if with_newline:
        chunks.append(b"\n")
    _, items = decode_all(chunks + [frame])
    assert frames_of(items) == frames_of(protocol.Decoder().feed(frame))


@settings(max_examples=200, deadline=None)
@given(st.lists(frames, min_size=1, max_size=8), st.data())
def test_any_split_of_a_stream_decodes_the_same(stream_frames, data):
    stream = b"".join(stream_frames)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=10)))
    chunks = [stream[a:b] for a, b in zip([0, *cuts], [*cuts, len(stream)], strict=True)]
    _, items = decode_all(chunks)
    assert [protocol.encode(f.kind, f.seq, f.args) for f in frames_of(items)] == stream_frames
