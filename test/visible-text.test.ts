import { describe, expect, it } from "vitest";
import { toVisibleText } from "../src/text/visible-text.js";

describe("toVisibleText", () => {
  it("passes plain text through, collapsing white space and trimming lines", () => {
    const v = toVisibleText("  全国包邮   新疆除外 \r\n\n  满99包邮\t ");
    expect(v.text).toBe("全国包邮 新疆除外\n满99包邮");
    expect(v.toSource(0)).toBe(2);
    expect(v.toSource(5)).toBe(9);
    expect(v.toSource(10)).toBe(19);
  });

  it("keeps text without tags as it is, even with entities or angle brackets", () => {
    expect(toVisibleText("满99包邮 <新品> a&amp;b").text).toBe("满99包邮 <新品> a&amp;b");
  });

  it("reads text nodes in order, decodes entities and drops script, style, comments and attributes", () => {
    const html =
      '<div class="包邮"><img alt="全国包邮" src="x.jpg">正品&amp;保障<script>var a="包邮"</script>' +
      "<style>p{}</style><!-- 包邮 -->&#x5305;&#37038;</div>";
    expect(toVisibleText(html).text).toBe("正品&保障包邮");
  });

  it("turns block boundaries and <br> into line breaks without empty lines", () => {
    const html = "<p>全国包邮</p><p></p><div><p>新疆<br/>西藏</p></div><ul><li>一</li><li>二</li></ul>";
    expect(toVisibleText(html).text).toBe("全国包邮\n新疆\n西藏\n一\n二");
  });

  it("collapses white space inside a block to one space and keeps inline elements joined", () => {
    const html = "<p>  满99 \n\t <b>包</b><i>邮</i>&nbsp;&nbsp;偏远地区除外  </p>";
    expect(toVisibleText(html).text).toBe("满99 包邮 偏远地区除外");
  });

  it("maps visible offsets back to the source", () => {
    const html = "<p>正品</p><p>全国<b>包邮</b></p>";
    const v = toVisibleText(html);
    expect(v.text).toBe("正品\n全国包邮");
    const start = v.text.indexOf("全国包邮");
    expect(html.slice(v.toSource(start), v.toSource(start) + 2)).toBe("全国");
    expect(html[v.toSource(start + 2)]).toBe("包");
    expect(html.slice(v.toSource(0), v.toSource(0) + 2)).toBe("正品");
  });

  it("maps decoded entities to the entity's start", () => {
    const html = "<p>a&amp;b</p>";
    const v = toVisibleText(html);
    expect(v.text).toBe("a&b");
    expect(v.toSource(1)).toBe(html.indexOf("&amp;"));
    expect(v.toSource(2)).toBe(html.indexOf("b<"));
  });

  it("drops invisible control and zero-width characters, keeping offsets", () => {
    const input = "江浙沪\u0095\u008810个\u200b包邮";
    const v = toVisibleText(input);
    expect(v.text).toBe("江浙沪10个包邮");
    expect(v.toSource(3)).toBe(5);
    expect(v.toSource(6)).toBe(9);
  });

  it("returns empty text for empty or tag-only input", () => {
    expect(toVisibleText("").text).toBe("");
    expect(toVisibleText("<p> </p><br>").text).toBe("");
    expect(toVisibleText("").toSource(0)).toBe(0);
  });

  it("is fast on 2 KB descriptions", () => {
    const block =
      "<p style=\"color:red\">本店商品<b>满99元包邮</b>，新疆、西藏等偏远地区不包邮。<img src='a.jpg' alt='图'></p>";
    const html = block.repeat(Math.ceil(2048 / block.length));
    toVisibleText(html);
    const started = performance.now();
    for (let i = 0; i < 200; i += 1) toVisibleText(html);
    // Hang guard only (a quadratic pass takes far longer); 2 ms a call is typical on an idle machine.
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
