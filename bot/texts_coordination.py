"""Every Chinese sentence of offices, invitations, review and the board (bot/coordination.py)."""

from __future__ import annotations

ROLE = {"filler": "填报人", "reviewer": "审核人", "coordinator": "协调人"}
STATUS = {
    "none": "未开始",
    "filling": "填写中 {percent}%",
    "in_review": "待审核",
    "submitted": "已提交",
    "returned": "已退回",
    "approved": "已通过",
    "overdue": "逾期",
}
UNNAMED = "（未填名称 · 编号{id}）"

# who is who
ASK_OFFICE_NAME = "请发送协调机构的名称，例如「某某县人民政府办公室」。发送 /cancel 取消。"
OFFICE_NAME_BAD = "名称需为 2 到 100 个字，请重新发送协调机构的名称。"
OFFICE_CREATED = (
    "已创建协调机构「{office}」，您是协调人。\n"
    "请把下面的链接发给各单位，单位负责人点开即可注册（{days} 天内有效，可用 /revoke 作废）：\n"
    "{link}\n"
    "发送 /board 查看各单位进度，/compile 汇总本级年度报告。"
)
AGENCY_LINK = "新的单位邀请链接（{days} 天内有效，可多个单位使用）：\n{link}"
COLLEAGUE_LINK = (
    "邀请{role}的链接（{days} 天内有效，仅限一人使用，可用 /revoke 作废）：\n{link}\n"
    "请只发给这位同事本人。"
)
INVITE_CHOOSE = "要邀请哪种同事？填报人负责填写数据，审核人在报告报送前确认。"
INVITE_FILLER = "邀请填报人"
INVITE_REVIEWER = "邀请审核人"
NO_LINK = "机器人尚未连接 Telegram，暂时无法生成链接，请稍后再试。"
JOINED_AGENCY = (
    "欢迎！您已代表本单位加入「{office}」的年报工作，身份为审核人。先填写本单位全称和联系方式："
)
JOINED_COLLEAGUE = "欢迎！您已作为{role}加入「{agency}」。"
ALREADY_MEMBER = "您已经是该单位的成员，无需再次加入。"
REDEEM_FAILED = {
    "unknown": "这个邀请链接无效。请向邀请您的人核对链接，或请对方重新生成。",
    "expired": "这个邀请链接已过期，请联系邀请您的人重新生成。",
    "revoked": "这个邀请链接已被作废，请联系邀请您的人重新生成。",
    "used": "这个邀请链接已经有人使用过了，请联系邀请您的人重新生成。",
    "limited": "无效链接尝试次数过多，请一小时后再试。",
}
REVOKE_CHOOSE = "点按要作废的邀请链接："
REVOKE_NONE = "目前没有可作废的邀请链接。"
REVOKE_BUTTON = "作废：{what}（{date} 到期）"
REVOKE_AGENCY = "单位注册链接"
REVOKED = "已作废，这个链接不能再使用。"

# refusals
NOT_ALLOWED = "抱歉，您没有权限进行这个操作。"
NOT_COORDINATOR = "这个功能只供协调人使用。如需创建协调机构，请发送 /new_office。"
NO_AGENCY = "您还没有加入任何单位。请使用单位发来的邀请链接，或发送 /start 为本单位单独填报。"
COORDINATOR_HELP = (
    "您是「{office}」的协调人。\n"
    "/board 查看各单位进度并审核，/invite 获取新的单位邀请链接，/revoke 作废链接，"
    "/remove 移出单位成员，/deadline 设置截止日期和提醒，/compile 汇总本级年度报告。\n"
    "汇总后，本级报告的文字部分也在这里填写：发送 /report 继续，/preview 预览，/download 下载。"
)
CANCELLED = "已取消。"
STALE = "这个按钮已经过时，报告状态已经变化。"

# submission and review
LOCKED = "报告已报送审核（{status}），暂不能修改。如需修改，请联系审核人或协调人退回。"
SENT_TO_REVIEWER = "报告已完成，已交本单位审核人确认后报送「{office}」。"
REVIEW_ASK = "「{agency}」的{year}年报告已完成，请审核人确认：确认提交后将报送「{office}」。"
SUBMIT = "确认提交"
SEND_BACK = "退回"
SUBMITTED = "已提交给「{office}」。协调人审核后会通知本单位。"
ARRIVED = "「{agency}」的{year}年报告已报送，等待您审核。"
VIEW = "查看"
ASK_COMMENT = "请发送退回意见（将转给「{agency}」的全部成员）："
RETURNED_SENDER = "已退回「{agency}」，退回意见已转给该单位成员。"
RETURNED_MEMBER = (
    "「{agency}」的{year}年报告被退回修改。\n退回意见：{comment}\n请修改后重新完成填报。"
)
APPROVE = "通过"
RETURN = "退回修改"
APPROVED_SENDER = "已通过「{agency}」的{year}年报告。"
APPROVED_MEMBER = "「{agency}」的{year}年报告已通过「{office}」审核。"

# the board
BOARD_HEAD = "「{office}」{year}年度报告进度（{count} 个单位，第 {page}/{pages} 页）"
BOARD_LINE = "{n}. {agency} — {status}"
BOARD_EMPTY = "还没有单位注册。把 /invite 生成的邀请链接发给各单位即可。"
BOARD_DEADLINE = "截止日期：{due}。"
PREV = "‹ 上一页"
NEXT = "下一页 ›"
DETAIL_HEAD = "「{agency}」{year}年报告 · {status}"
DETAIL_NO_REPORT = "「{agency}」还没有开始填写{year}年报告。"
DETAIL_ERRORS = "勾稽错误（{count} 个）："
DETAIL_NO_ERRORS = "没有勾稽错误。"

# the consolidated report
COMPILE_NONE = "还没有已通过的单位报告，暂时无法汇总。"
COMPILE_CHOOSE = "选择要汇总的已通过报告（已选 {chosen}/{count}），然后点「按所选汇总」："
COMPILE_ALL = "汇总全部已通过报告（{count} 个）"
COMPILE_SELECTED = "按所选汇总"
COMPILE_NOTHING = "请至少选择一个单位。"
COMPILE_DONE = "已汇总 {count} 个单位的报告，生成「{office}」{year}年度报告和汇总表。"
COMPILE_GAPS = "注意：有 {count} 个单元格因部分单位未填而未汇总，详见汇总表「缺项」。"
COMPILE_INVALID = "注意：有 {count} 个单位的报告存在勾稽错误，详见汇总表。"
COMPILE_FAILED = "无法汇总：{detail}"
COMPILE_REPLACED = (
    "本次汇总前，本级报告有 {count} 处与新的合计不同，已按新的合计更新"
    "（汇总表的「差异」表逐项列出原数据，如需保留请用 /edit 改回）："
)
OWN_NEXT = (
    "本级报告的文字部分（联系方式、总体情况、存在的主要问题等）就在这里填写：直接回答下面的问题，"
    "已写的内容重新汇总时会保留。随时发送 /report 继续，/preview 预览，/download 下载。"
)
OWN_RESTORE_OFFER = (
    "其中 {count} 处是您上次汇总后在本级报告中手工修改的数（例如去除重复统计），已被新的合计替换："
)
OWN_RESTORE_LINE = "· {place}：您填的 {typed}，新的合计 {now}"
OWN_RESTORE_MORE = "……另有 {count} 处"
OWN_RESTORE = "恢复手工修改（{count} 处）"
OWN_RESTORED = "已恢复您手工修改的 {count} 个数，请核对："
OWN_RESTORE_NONE = "没有需要恢复的手工修改。"
OWN_SWITCH_BACK = "您现在填写的是本级汇总报告。要回到本单位自己的报告，发送 /report 选择。"
OWN_HEAD = "「{agency}」{year}年度报告（本级）："
OWN_NONE = "本级报告还没有生成：先发送 /compile 汇总已通过的单位报告，再在这里填写本级的文字部分。"

# the office's own figures against the sum of its agencies
OWN_SAME = "本级报告与已通过的 {count} 个单位合计一致。"
OWN_DIFFERENT = "本级报告与已通过的 {count} 个单位合计有 {differences} 处不同。"
OWN_DIFFERENCES = "查看差异"
OWN_NO_DIFFERENCES = "本级报告与已通过的单位合计一致，没有差异。"
OWN_NO_COMPARISON = "还没有本级报告或已通过的单位报告，暂时无法比对。"

# removing members (bot/members.py)
MEMBERS = "成员"
REMOVE_CHOOSE = "点按要移出「{agency}」的成员（移出后对方不能再查看或修改本单位的报告）："
REMOVE_BUTTON = "移出：{name}（{role}）"
REMOVE_NONE = "「{agency}」没有可以移出的其他成员。"
# The coordinator, for an agency whose reviewer is gone or cannot be reached.
INVITE_FOR_AGENCY = "为该单位邀请新的审核人"
AGENCY_REVIEWER_LINK = (
    "「{agency}」审核人邀请链接（{days} 天内有效，仅限一人使用，可用 /revoke 作废）：\n{link}\n"
    "请只发给该单位新的审核人本人；对方加入后，可在「成员」中移出不再负责的人员。"
)
REVOKE_FOR_AGENCY = "「{agency}」审核人链接"
REMOVE_COORDINATOR_HINT = "请发送 /board，点开单位后点「成员」，即可移出该单位的成员。"
REMOVE_ONLY_REVIEWER = "只有本单位的审核人（或协调人）可以移出成员。"
REMOVE_CONFIRM = (
    "确定把「{name}」（{role}）移出「{agency}」吗？移出后对方不能再查看或修改本单位的报告。"
)
REMOVE_YES = "确定移出"
REMOVE_NO = "取消"
REMOVE_CANCELLED = "好的，没有移出任何人。"
REMOVE_SELF = "不能移出自己。"
REMOVE_LAST_REVIEWER = (
    "「{name}」是「{agency}」唯一的审核人，移出后就没有人能确认提交报告。"
    "请先由该单位邀请另一位审核人（/invite），再移出。"
)
REMOVE_GONE = "这位成员已经不在该单位了。"
REMOVED_DONE = "已把「{name}」移出「{agency}」。"
REMOVED_NOTICE = (
    "您已被移出「{agency}」，不能再查看或修改该单位的报告。如有疑问，请联系该单位审核人或协调人。"
)
REMOVED_REFUSAL = (
    "您已不是「{agency}」的成员，不能再查看或修改该单位的报告。"
    "如需重新加入，请向该单位索取新的邀请链接；如要为其他单位单独填报，请发送 /start。"
)
