"""Every Chinese sentence the command line prints."""

from __future__ import annotations

CHECK_VALID = "✔ 检查通过：{agency}{year}年报告（{format}）数据完整，勾稽关系全部正确。"
CHECK_HEAD = "{agency}{year}年报告（{format}）检查结果：{errors} 个错误，{warnings} 个提醒，{missing} 个单元格未填。"
CHECK_MISSING = "未填的单元格（{count} 个）：{cells}"
CHECK_UNREADABLE = "无法检查 {path}："
LAST_YEAR_UNREADABLE = "无法读取上年报告 {path}："

CONSOLE_WELCOME = (
    "年报 · 终端填报（{path}）\n"
    "直接输入回答；按钮用「/序号」选择，例如 /1。\n"
    "命令：/back 返回上一题  /skip 稍后再填  /status 进度  /edit [行名] 跳转  /review 检查  /quit 退出\n"
    "每一步都会自动保存，下次用同一文件继续。"
)
CONSOLE_RESUMED = "已从 {path} 恢复，继续填写。"
CONSOLE_SAVED = "已保存到 {path}。"
CONSOLE_BAD_CHOICE = "没有这个选项：请输入 /1 到 /{count}。"
CONSOLE_NO_BUTTONS = "当前没有可选的按钮。"
CONSOLE_BYE = "已保存，下次运行同一命令即可继续。"
CONSOLE_FORMAT_MISMATCH = "答案文件是 {file_format} 格式，与 --format {asked} 不符：请去掉 --format 或换一个文件。"
CONSOLE_ERROR = "出现内部错误，刚才的输入未生效，已保存的内容不受影响：{detail}"
