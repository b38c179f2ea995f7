"""Flattening markup into the lines and pictures a reader sees."""

from dvscraper.parse.blocks import Line, Picture, flatten
from dvscraper.parse.document import load_tree


def lines_of(html: str):
    return flatten(load_tree(f"<html><body><div id='c'>{html}</div></body></html>").find(".//div"))


def test_br_splits_lines_and_keeps_styles():
    items = lines_of("<p style='text-align:right'><b>Tin: A</b></p><div>một<br>hai<br><br><i>ba</i></div>")
    assert [i.text for i in items] == ["Tin: A", "một", "hai", "ba"]
    assert items[0].align == "right" and items[0].bold
    assert items[3].italic and not items[2].italic


def test_image_tables_and_figures_carry_their_caption():
    items = lines_of(
        "<table><tr><td><img src='a.jpg'></td></tr><tr><td>Chú thích A</td></tr></table>"
        "<figure><img src='b.jpg' alt='B'><figcaption>Chú thích B</figcaption></figure><p>Sau</p>"
    )
    pictures = [i for i in items if isinstance(i, Picture)]
    assert [(p.src, p.caption) for p in pictures] == [("a.jpg", "Chú thích A"), ("b.jpg", "Chú thích B")]
    assert [i.text for i in items if isinstance(i, Line)] == ["Sau"]


def test_hidden_and_link_only_lines():
    items = lines_of("<p style='display:none'>ẩn</p><p><a href='/x'>Liên kết</a></p>")
    assert [(i.text, i.link_only) for i in items] == [("Liên kết", True)]


def test_deep_nesting_does_not_recurse():
    html = "<div>" * 1800 + "sâu" + "</div>" * 1800  # deeper than Python recursion; libxml2 keeps 2048 levels
    assert [i.text for i in lines_of(html)] == ["sâu"]


def test_start_after_and_stop_at():
    tree = load_tree("<html><body><p>trước</p><p id='m'>meta</p><p>sau</p><p id='s'>dừng</p><p>nữa</p></body></html>")
    meta, stop = tree.find(".//p[@id='m']"), tree.find(".//p[@id='s']")
    items = flatten(tree.find("body"), start_after=meta, stop_at=frozenset([stop]))
    assert [i.text for i in items] == ["sau"]
