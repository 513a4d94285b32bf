"""Every Chinese sentence the storage layer can say (through its exceptions)."""

from __future__ import annotations

MIGRATION_REQUIRED = (
    "数据库结构不是最新版本（当前 {current}，需要 {head}）。"
    "请先运行 `nianbao migrate` 升级数据库，再启动机器人。"
)
DATABASE_TOO_NEW = (
    "数据库结构版本 {current} 比本程序认识的版本 {head} 更新：请升级 nianbao 后再使用这个数据库。"
)
UNSUPPORTED_DATABASE = (
    "不支持的 DATABASE_URL「{url}」：请使用 sqlite:///路径 或 postgresql://用户:密码@主机/库名。"
)
MEMORY_DATABASE = "不支持内存数据库：请在 DATABASE_URL 中给出 SQLite 文件路径。"
DATABASE_UNAVAILABLE = "无法连接数据库 {url}：{detail}"
DATABASE_ERROR = "数据库操作失败，本次操作没有保存任何内容：{detail}"
NOT_FOUND = "找不到{what}（ID {id}）。"
REPORT_NOT_FOUND = "单位 {agency_id} 没有 {year} 年的报告。"
REPORT_EXISTS = "单位 {agency_id} 已有 {year} 年的报告。"
MEMBER_EXISTS = "这个 Telegram 用户已经是该单位的成员。"
MEMBER_GONE = "成员 {id} 已不在本单位，没有保存任何内容。"
VERSION_CONFLICT = (
    "这份报告刚刚被其他同事修改过（现在是第 {version} 版），你的这次操作没有保存。"
    "请查看最新内容后再继续。"
)
WHAT_REPORT = "报告"
WHAT_AGENCY = "单位"
WHAT_OFFICE = "协调机构"
WHAT_MEMBER = "成员"
