"""Distinct, well-formed LEIs for the entity numbers of a synthetic register."""

from __future__ import annotations

import numpy as np

__all__ = ["Leis"]

_ALNUM = np.frombuffer(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", dtype=np.uint8)
_HALF = 36**6  # an LEI's 12 free characters, as two halves of six base-36 digits
_LEI_BLOCK = 1 << 14


class Leis:
    """Distinct, well-formed LEIs for entity numbers, made in blocks with numpy.

    An LEI is a 4-character issuer prefix, ``00``, 12 characters and two ISO 7064
    MOD 97-10 check digits. The 12 characters are the entity number put through a
    three-round Feistel permutation of ``[0, 36**12)`` keyed by the seed, so numbers
    map one-to-one to LEIs that do not read as a counter.
    """

    def __init__(self, rng: np.random.Generator):
        self.keys = rng.integers(1, _HALF, size=(3, 2)).tolist()
        self.prefix = _ALNUM[rng.integers(0, 36, 4)].tobytes().decode() + "00"
        self.block, self.leis = -1, [""]

    def __call__(self, n: int) -> str:
        block, offset = divmod(n, _LEI_BLOCK)
        if block != self.block:
            self.block, self.leis = block, self._make(block * _LEI_BLOCK)
        return self.leis[offset]

    def _make(self, first: int) -> list[str]:
        numbers = np.arange(first, first + _LEI_BLOCK, dtype=np.int64)
        left, right = numbers // _HALF, numbers % _HALF
        for k1, k2 in self.keys:  # products stay below 36**12 < 2**63
            mixed = (right * k1 + k2) % _HALF * (right + 1) % _HALF
            left, right = right, (left + mixed) % _HALF
        digits = np.empty((_LEI_BLOCK, 12), dtype=np.int64)
        for col in range(6):
            digits[:, 5 - col] = left % 36
            digits[:, 11 - col] = right % 36
            left, right = left // 36, right // 36
        # The check digits make the whole code, read with A=10 ... Z=35, equal 1 mod 97.
        rest = np.full(_LEI_BLOCK, int("".join(str(int(c, 36)) for c in self.prefix)) % 97)
        for col in range(12):
            d = digits[:, col]
            rest = np.where(d < 10, rest * 10 + d, rest * 100 + d) % 97
        check = 98 - rest * 100 % 97
        codes = np.empty((_LEI_BLOCK, 14), dtype=np.uint8)
        codes[:, :12] = _ALNUM[digits]
        codes[:, 12], codes[:, 13] = 48 + check // 10, 48 + check % 10
        text = codes.tobytes().decode()
        return [self.prefix + text[i : i + 14] for i in range(0, len(text), 14)]
