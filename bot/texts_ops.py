"""Chinese sentences of operations: settings errors and ``nianbao health``."""

from __future__ import annotations

SETTINGS_INVALID = (
    "设置有误，无法启动：{problems}。请检查环境变量或 .env 文件（说明见 deploy/.env.example）。"
)
SETTINGS_PROBLEM = "{name}（{value}）"
# Why a setting was refused, by pydantic's error type (``{…}`` from the error's context).
SETTINGS_WHY = {
    "int_parsing": "应为整数",
    "float_parsing": "应为数字",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应不大于 {le}",
    "literal_error": "应为以下之一：{expected}",
    "missing": "缺少这一项",
}
SETTINGS_WHY_OTHER = "取值无效"
SETTINGS_GIVEN = "，现为「{value}」"
HEALTH_OK = "运行正常：{url}"
HEALTH_BAD = "运行异常：{url} 返回 {status}（数据库不可用或服务未就绪）。"
HEALTH_DOWN = "无法连接 {url}：{detail}。机器人没有运行，或没有在这个端口监听。"
HEALTH_NO_LISTENER = (
    "长轮询模式下没有健康检查端口：请设置 METRICS_PORT（例如 8081），或用 --url 指定要检查的地址。"
)
