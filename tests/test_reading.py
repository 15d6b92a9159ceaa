"""kiosk.reading: files from elsewhere are read whole if they are regular files, refused at once otherwise."""

from __future__ import annotations

import hashlib
import os
import socket

import pytest

from kiosk import reading


@pytest.mark.parametrize("size", [0, 1, 4096, 3 << 20])
def test_a_regular_file_is_read_whole_and_hashed(tmp_path, size):
    path = tmp_path / "f"
    data = os.urandom(size)
    path.write_bytes(data)
    assert reading.read_bytes(path) == data
    assert reading.sha256_file(path) == hashlib.sha256(data).hexdigest()


def test_a_pipe_a_device_and_a_folder_are_refused_without_waiting(tmp_path):
    pipe = tmp_path / "drawing.png"
    os.mkfifo(pipe)  # no writer: a plain open() would wait for one for ever
    for path in (pipe, "/dev/zero", tmp_path):
        with pytest.raises(reading.NotAFileError) as caught:
            reading.read_bytes(path)
        assert caught.value.strerror == reading.NOT_A_FILE and caught.value.filename == os.fspath(path)
        with pytest.raises(OSError):
            reading.sha256_file(path)


def test_a_socket_is_refused_as_not_a_file(tmp_path):
    path = tmp_path / "response.json"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        with pytest.raises(reading.NotAFileError) as caught:
            reading.read_bytes(path)
    assert caught.value.strerror == reading.NOT_A_FILE


def test_a_missing_file_is_the_usual_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        reading.read_bytes(tmp_path / "gone")


def test_a_link_is_refused_even_to_a_regular_file(tmp_path):
    """A response folder synced in with drawing.png -> /etc/passwd would publish that file."""
    target = tmp_path / "outside.txt"
    target.write_bytes(b"secret")
    link = tmp_path / "drawing.png"
    link.symlink_to(target)
    with pytest.raises(reading.NotAFileError) as caught:
        reading.read_bytes(link)
    assert caught.value.strerror == reading.A_LINK
    # a link among the folders above is followed: data folders are often links
    (tmp_path / "data").symlink_to(tmp_path)
    assert reading.read_bytes(tmp_path / "data" / "outside.txt") == b"secret"
