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
CONSOLE_FORMAT_MISMATCH = (
    "答案文件是 {file_format} 格式，与 --format {asked} 不符：请去掉 --format 或换一个文件。"
)
CONSOLE_ERROR = "出现内部错误，刚才的输入未生效，已保存的内容不受影响：{detail}"

# nianbao migrate / export / import / backup (bot/storage_cmd.py)
STATUS_LABELS = {
    "filling": "填写中",
    "in_review": "待审核",
    "submitted": "已提交",
    "returned": "已退回",
    "approved": "已通过",
}
ROLE_LABELS = {"filler": "填报人", "reviewer": "审核人", "coordinator": "协调人"}
MIGRATE_DONE = "数据库已升级到最新版本 {after}（原为 {before}）：{url}"
MIGRATE_CURRENT = "数据库已是最新版本 {revision}，无需升级：{url}"
MIGRATE_EMPTY = "空库"
STORAGE_FAILED = "数据库不可用：{detail}"
EXPORT_DONE = (
    "已导出单位 {agency_id} 的 {year} 年报告（{status}，第 {version} 版；"
    "{cells} 个单元格、{texts} 段文字）到 {path}。"
)
EXPORT_NOT_FOUND = "无法导出：{detail}"
EXPORT_WRITE_FAILED = "无法写入 {path}：{detail}"
IMPORT_DONE = (
    "已导入 {path}：单位 {agency_id} 的 {year} 年报告已{action}（第 {version} 版；"
    "{cells} 个单元格、{texts} 段文字）。"
)
IMPORT_CREATED = "新建"
IMPORT_REPLACED = "整体替换"
IMPORT_UNREADABLE = "无法导入 {path}，数据库未作任何改动："
IMPORT_REJECTED = "拒绝导入 {path}，数据库未作任何改动："
IMPORT_FAILED = "导入失败，数据库未作任何改动：{detail}"
BACKUP_DONE = "已备份 {source} 到 {path}（{size} 字节，完整性检查通过）。"
BACKUP_POSTGRES = (
    "当前数据库是 PostgreSQL（{url}）：nianbao backup 只备份 SQLite。"
    "请用 PostgreSQL 自带的 pg_dump 备份，例如：pg_dump --format=custom "
    '--file=nianbao.dump "postgresql://用户@主机/库名"'
)
BACKUP_NO_DATABASE = "数据库文件 {path} 不存在，没有可备份的内容。"
BACKUP_SAME_FILE = "备份文件不能是数据库文件本身：{path}"
BACKUP_FAILED = "备份失败，未生成备份文件：{detail}"

RENDER_NOTHING = "没有指定输出：请用 -o 指定 .docx 文件，或用 --xlsx、--text。"
RENDER_UNREADABLE = "无法生成报告，读取 {path} 出错："
RENDER_NO_AGENCY = "（未填单位名称）"
RENDER_REFUSED = "{agency}{year}年报告还不能生成正式版：{errors} 个错误，{missing} 个单元格未填。"
RENDER_MISSING_HEAD = "未填的单元格："
RENDER_MORE = "  ……另有 {count} 项"
RENDER_HINT_DRAFT = (
    "请改正后再生成。如需先看效果，可加 --draft 生成草稿："
    "标题注明“草稿”，最后一页列出待处理的问题。"
)
RENDER_WROTE = "已生成 {path}"
RENDER_DRAFT_NOTE = "这是草稿：还有 {errors} 个错误、{missing} 个单元格未填，详见文档最后一页。"
RENDER_WRITE_FAILED = "无法写入 {path}：{detail}"
