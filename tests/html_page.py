"""Wrap a sample notice in a realistic government web page (nav, breadcrumb, chrome, related, footer)."""

from __future__ import annotations

from html import escape


def page(title: str, paragraphs: list[str], *, date: str, source: str, charset: str = "utf-8") -> str:
    """A saved page around the notice, with everything that must never reach the text."""
    body = "\n".join(f"<p>\u3000\u3000{escape(p)}</p>" for p in paragraphs)
    meta = f'<meta charset="{charset}">' if charset else ""
    return f"""<!DOCTYPE html>
<html><head>{meta}<title>{escape(title)}_{escape(source)}</title>
<script>var menu = "首页 纪律审查 巡视巡察 政策法规"; document.write("设为主页 加入收藏");</script>
<style>.nav {{ color: red }}</style></head>
<body>
<div class="top">设为主页 加入收藏</div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/gz">工作动态</a></li>
<li><a href="/jl">纪律审查</a></li><li><a href="/xs">巡视巡察</a></li><li><a href="/zc">政策法规</a></li></ul></div>
<div class="crumb">当前位置:<a href="/">首页</a> &gt; <a href="/xs">巡视巡察</a> &gt; 正文</div>
<div class="article">
<h1>{escape(title)}</h1>
<div class="info">发布日期:{date} 信息来源:{escape(source)} 字号:[ <a>大</a> <a>中</a> <a>小</a> ]</div>
<div class="content">
{body}
</div>
<div class="tools"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
</div>
<div class="related"><h3>相关链接</h3><ul>
<li><a href="/a/1.html">区纪委监委召开警示教育大会暨纪律作风整顿动员会</a></li>
<li><a href="/a/2.html">关于开展群众身边不正之风和腐败问题集中整治的通知</a></li></ul></div>
<div class="footer">版权所有:中共某区纪律检查委员会 苏ICP备10012345号 技术支持:大汉网络</div>
<script>var _hmt = _hmt || []; console.log("统计代码");</script>
</body></html>"""
