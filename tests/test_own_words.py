"""Everything in the project is its own: no tracked file shares more than a few words with the article it brings to
life (../shared/seed/), the training matrix aside. See tests/own_words.py."""

import re

import pytest

from .own_words import MAX_CHINESE, MAX_RUN, SEED, article, findings, normal

SHARED = article()
pytestmark = pytest.mark.skipif(SHARED is None, reason=f"the article is not here ({SEED}): a plain clone has no "
                                                          "../shared/; CI has it")


def test_no_tracked_file_shares_a_sentence_or_code_with_the_article():
    too_much = [f"{f.path}: {len(f.longest)} characters, {f.chinese} Chinese: {f.longest[:60]!r} / "
                f"{f.most_chinese[:30]!r}" for f in findings(SHARED) if f.too_much]
    assert not too_much, too_much


def test_the_check_finds_a_copied_run_and_lets_the_training_matrix_through():
    text = normal("".join(p.read_text(encoding="utf-8") for p in sorted(SEED.glob("*.txt"))).replace("**", ""))
    sentence = max(re.findall(r"[^。，\n]{30,}", text), key=len)  # the article's longest Chinese clause
    code = next(m.group() for m in re.finditer(r"defbackpropagation\(self\):.{40}", text))
    longest, most_chinese = SHARED.longest_runs("ours:" + sentence + ":ours")
    assert len(re.findall(r"[\u3400-\u9fff]", most_chinese)) > MAX_CHINESE
    assert len(SHARED.longest_runs("x" + code + "y")[0]) > MAX_RUN
    matrix = "inputs=np.array([[0,1,0],[0,1,1],[0,0,0],[1,0,0],[1,1,1],[1,0,1]])"
    assert len(SHARED.longest_runs(matrix)[0]) <= MAX_RUN  # a fact every copy of the network holds
