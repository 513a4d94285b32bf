"""Every Chinese sentence of the local playground: the terminal, the page's API answers, hints."""

from __future__ import annotations

# The terminal (nianbao playground)
STARTED = "本地试用模式已启动（无需 Telegram）。在浏览器中打开：\n  {url}"
PERSONA_LINE = "  {label}：{url}"
PERSONAS_HEAD = "每个角色可在单独的标签页中打开："
DATABASE = "数据保存在 {where}；按 Ctrl+C 停止。"
DATABASE_OTHER = "DATABASE_URL 指定的数据库"
STOPPED = "本地试用已停止。"
NOT_LOCAL = (
    "本地试用模式只在本机运行：--host 只能是 127.0.0.1、localhost 或 ::1（当前为「{host}」）。"
)
PORT_BUSY = (
    "无法在 {host}:{port} 上启动试用页面（{detail}）：端口可能已被占用，请用 --port 换一个端口。"
)
VIOLATIONS = "注意：机器人有 {count} 次请求不符合 Telegram Bot API 的规定，详见日志。"

# The page's API (shown to the person in the browser)
NO_PERSONA = "没有这个角色：{key}。可用的角色：{known}。"
EMPTY_TEXT = "消息不能为空。"
TEXT_TOO_LONG = "一条消息最多 4096 个字，请分几条发送。"
BAD_REQUEST = "请求格式不对，请刷新页面后再试。"
FORBIDDEN = "拒绝访问：试用页面只接受本机页面发出的请求。"
BUTTON_GONE = "这个按钮已经不在消息上了（消息已更新或已删除），请点最新的按钮。"
NO_FILE = "请选择要发送的文件。"
EMPTY_FILE = "文件是空的（0 字节），没有发送。"
FILE_TOO_LARGE = "文件超过 {mb} MB，试用页面不能发送这么大的文件。"
FILE_NOT_FOUND = "找不到这个文件：试用服务重启后，之前的文件不再保留。"

# First steps per persona (a hint at the top of each chat)
HINT_FILLER = (
    "先由审核人发送 /invite →「邀请填报人」，在那条链接下点「用填报人 张三打开」即可加入单位；"
    "也可以直接点「开始」为本单位单独填报。"
)
HINT_REVIEWER = (
    "先由协调人发送 /new_office 创建协调机构，再在邀请链接下点「用审核人 李四打开」注册本单位；"
    "填完后在这里「确认提交」。"
)
HINT_COORDINATOR = (
    "发送 /new_office 创建协调机构并得到单位邀请链接；单位提交后用 /board 查看进度、审核，"
    "用 /compile 汇总本级报告。"
)
