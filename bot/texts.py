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

# nianbao aggregate (bot/aggregate_cmd.py)
AGGREGATE_UNREADABLE = "无法汇总，读取 {path} 出错："
AGGREGATE_OWN_UNREADABLE = "无法读取本级报告 {path}："
AGGREGATE_REFUSED = "无法汇总，没有写入任何文件："
AGGREGATE_INPUT_ERRORS = "  - {name}有 {count} 个错误，改正后才能汇总："
AGGREGATE_INPUT_GAPS = "  - {name}有 {count} 个单元格未填："
AGGREGATE_HINT_BLANK = (
    "未填的单元格不会当作 0：请补全后再汇总。确认这些单元格都应为 0 的，可加 --blank-as-zero "
    "按 0 计入合计（汇总表的「缺项」表仍会逐项列出）。"
)
AGGREGATE_RESULT_ERRORS = "  - 汇总结果有 {count} 个错误："
AGGREGATE_MORE = "    ……另有 {count} 项"
AGGREGATE_WROTE = "已汇总 {count} 个单位的 {year} 年报告（{format}）：{path}"
AGGREGATE_WROTE_XLSX = "已生成汇总表 {path}"
AGGREGATE_ZEROED = (
    "注意：{reports} 个单位共 {cells} 个未填的单元格已按 0 计入合计（--blank-as-zero），"
    "汇总表的「缺项」表逐项列出。"
)
AGGREGATE_SAME = "本级报告（{agency}）与各单位合计完全一致。"
AGGREGATE_DIFFERENCES = "本级报告（{agency}）与各单位合计有 {count} 处不同："
AGGREGATE_DIFFERENCE = "  {place}：本级 {own}，各单位合计 {sum}，差额 {diff}"
AGGREGATE_DIFFERENCE_BLANK = "  {place}：本级 {own}，各单位合计 {sum}"
AGGREGATE_WRITE_FAILED = "无法写入 {path}：{detail}"

# --- the Telegram bot -------------------------------------------------------------------------

BOT_COMMANDS = (
    ("start", "开始使用"),
    ("report", "开始或继续填报（可选择年度或单位）"),
    ("status", "查看进度和未填项"),
    ("preview", "预览报告全文"),
    ("edit", "跳到任意部分或行修改"),
    ("back", "返回上一题"),
    ("skip", "这一题稍后再填"),
    ("download", "下载报告文件"),
    ("invite", "邀请同事或单位"),
    ("revoke", "作废邀请链接"),
    ("remove", "移出单位成员"),
    ("board", "协调人：各单位进度与审核"),
    ("compile", "协调人：汇总本级年度报告"),
    ("new_office", "创建协调机构"),
    ("mute", "关闭截止日期提醒"),
    ("unmute", "重新开启截止日期提醒"),
    ("deadline", "协调人：设置截止日期和提醒"),
    ("help", "使用说明"),
    ("cancel", "暂停填报"),
)
BOT_WELCOME = (
    "您好，{name}！我是「年报」，帮您逐题填写《政府信息公开工作年度报告》。\n"
    "每个数字输入时都会按勾稽关系核对，进度随时保存，可以分几次填完。下面开始："
)
BOT_HELP = (
    "「年报」使用说明\n"
    "· 直接回复问题即可；数字可以写 12、十二、１２，一行可一次发完，例如「193 19 0 0 0 12」，"
    "也可写明列名，例如「自然人193 其他12」。\n"
    "· 按钮：全部为0、本组全部为0、确认建议值、返回上一题、稍后再填。\n"
    "· 命令：/report 继续填报，/status 进度，/preview 预览，/edit 修改任意部分，/back 返回，"
    "/skip 稍后再填，/download 下载报告，/cancel 暂停。\n"
    "· 同事：/invite 邀请同事，/revoke 作废邀请链接，/remove 移出同事（审核人）。\n"
    "· 每一步都已保存，随时可以离开，回来发送 /report 继续。"
)
BOT_CANCELLED = "已暂停，所有内容都已保存。随时发送 /report 继续填写。"
BOT_YEAR_TAKEN = (
    "本单位已有 {year} 年的报告，这份报告的年度没有改动。"
    "要填写那一年的报告，请发送 /report 选择年度。"
)
BOT_CHOOSE_YEAR = "您的单位有多份未完成的报告，请选择要填写的年度："
BOT_YEAR_BUTTON = "{year}年度报告"
BOT_SWITCHED = "已切换到「{agency}」{year} 年度报告。"
BOT_THIS_AGENCY = "本单位"
BOT_UPLOAD_OWN = (
    "以上是对上传文件的检查。本级汇总报告的表格由各单位已通过的报告汇总生成（/compile），"
    "不能用上传的文件替换；如要用于某个单位的报告，请先发送 /report 切换到该报告再上传。"
)
BOT_UPLOAD_OWN_CHOICE = (
    "您现在填写的是本级汇总报告，它的表格由各单位已通过的报告汇总生成，不能使用上传的文件。"
    "如要用于某个单位的报告，请先发送 /report 切换到该报告，再重新上传。"
)
BOT_CHOOSE_REPORT = "您可以填写以下报告，请选择（✓ 为当前正在填写的）："
BOT_CURRENT_MARK = "✓ "
BOT_AGENCY_YEAR_BUTTON = "{agency} · {year}年度报告"
BOT_OWN_BUTTON = "本级汇总报告 · {year}年度"
BOT_WORKSPACE_BUTTON = "{agency}"
BOT_CONFLICT = (
    "同事刚刚修改了这份报告，您的这次输入没有保存（已保存的内容都在）。请看最新的问题后重新回答："
)
BOT_NOT_READY = "报告还没有完成，先发送草稿供参考（标题注明“草稿”，最后一页列出待处理的问题）。完成全部问题后再发送 /download 获取正式文件。"
BOT_FILES_READY = "报告已生成：正式文本（.docx）和表格（.xlsx）。"
BOT_FILE_NAME = "{agency}{year}年政府信息公开工作年度报告"
BOT_NO_FILE_UPLOAD = "目前请在对话中逐项填写；读取已有报告文件的功能即将推出。"
BOT_UNSUPPORTED = "这里只能处理文字、按钮和命令，请直接回复当前问题。"
BOT_UNKNOWN_COMMAND = (
    "没有这个命令。可用的命令见输入框旁的菜单，或发送 /help 查看说明。您当前的问题是："
)
BOT_ERROR = (
    "抱歉，处理您的消息时出了问题，已保存的内容不受影响。请发送 /report 查看当前问题，再继续填写。"
)
BOT_DATABASE_DOWN = "数据库暂时无法访问，这一步没有保存。请稍后再试。"
BOT_REPLY_INCOMPLETE = (
    "网络不稳定，刚才的回复可能没有完整送达。请发送 /report 查看当前问题再继续，已保存的内容都在。"
)

# Uploaded reports (bot/uploads.py)
BOT_UPLOAD_TOO_LARGE = (
    "文件超过 20 MB，没有读取：请只发送年度报告本身（.docx、.html、.txt 或 .xlsx）。"
)
BOT_UPLOAD_FAILED = "没能从 Telegram 取到这个文件，请稍后重新发送。"
BOT_UPLOAD_UNREADABLE = "无法读取这个文件：{reason}"
BOT_UPLOAD_NO_TABLES = "这份文件里没有可用的表格数据，不能作为上年报告或草稿使用。"
BOT_UPLOAD_CHOOSE = "这份报告要怎么用？"
BOT_UPLOAD_KEEP_LAST = "作为上年报告保存（用于预填和跨年核对）"
BOT_UPLOAD_AS_DRAFT = "作为本年度草稿继续填写"
BOT_UPLOAD_CANCELLED = "好的，没有做任何改动。"
BOT_UPLOAD_GONE = "找不到这次选择对应的文件（原消息可能已删除或文件已变化），请重新发送文件。"
BOT_LAST_WRONG_YEAR = (
    "这份是 {found} 年度的报告，不是上一年度（{year} 年度）的，没有作为上年报告保存。"
)
BOT_LAST_WRONG_FORMAT = "这份报告的表格格式与 {year} 年度应使用的格式不一致，没有作为上年报告保存。"
BOT_LAST_KEPT = "已保存为上年（{year} 年度）报告：填写 {report} 年度报告时将据此核对上年结转、现行有效件数和大幅变化。"
BOT_LAST_PREFILLED = "已按上年报告的「结转下年度继续办理」预填了「二、上年结转」的 {count} 个单元格，可发送 /edit 修改。"
BOT_LAST_YEAR_ASSUMED = "文件中没有写明年度，已按 {year} 年度处理。"
BOT_DRAFT_NO_YEAR = "文件中没有写明报告年度，表格格式也与当前报告不同，无法确定导入哪一年度：请在文件标题中写明年度后重新发送。"
BOT_DRAFT_WRONG_FORMAT = "这份报告的表格格式与 {year} 年度应使用的格式不一致，没有导入。"
BOT_DRAFT_LOCKED = "{year} 年度报告已提交或已通过审核，不能再导入修改。"
BOT_DRAFT_CONFIRM = "{year} 年度报告中已填的 {count} 项内容与文件不同，导入会覆盖它们。确定覆盖吗？"
BOT_DRAFT_OVERWRITE = "覆盖，用文件中的内容"
BOT_DRAFT_KEEP = "取消，保留已填内容"
BOT_DRAFT_DONE = (
    "已把文件中的 {cells} 个单元格和 {texts} 段文字导入 {year} 年度报告，接着填写其余内容："
)

# Start-up: one clear sentence each, never a traceback.
RUN_NO_TOKEN = "没有设置 TELEGRAM_BOT_TOKEN：请在环境变量或 .env 文件中填入 BotFather 给出的令牌。"
RUN_BAD_TOKEN = (
    "TELEGRAM_BOT_TOKEN 格式不对：应为「数字:字母数字串」，例如 123456789:AA…，请检查是否复制完整。"
)
RUN_BAD_WEBHOOK = (
    "WEBHOOK_URL 应以 https:// 开头（本机测试可用 http://127.0.0.1）：当前为「{url}」。"
)
RUN_NO_SECRET = "使用 WEBHOOK_URL 时必须设置 WEBHOOK_SECRET（1–256 个字母、数字、_ 或 -）。"
RUN_DATABASE = "无法启动：{detail}"
RUN_TELEGRAM = "无法连接 Telegram Bot API（{url}）：{detail}"
RUN_STARTED_POLLING = "年报机器人已启动（长轮询），按 Ctrl+C 停止。"
RUN_STARTED_WEBHOOK = "年报机器人已启动（webhook：{url}，监听 {host}:{port}），按 Ctrl+C 停止。"
RUN_STOPPED = "年报机器人已停止。"
RUN_LISTEN = "无法在 {host}:{port} 监听（端口被占用或无权限）：{detail}。请换一个端口（PORT 或 METRICS_PORT）。"
