"""Rules that beat the model where wording is fixed: what a stage direction shows, whether a rep's line asks
for the order, whether it presents a proposal, and wording to avoid (fake deadlines, quota pleas, kickbacks).

Every rule is a list of patterns per language; ``benchmarks/coach.py`` and the tests measure them on the
labelled lines in ``data/coach/``.
"""

from __future__ import annotations

import re
from functools import cache

ACTION, EXPRESSION = "signal.action", "signal.expression"

_ACTION = {
    "en": (r"\bnod", r"lean(s|ed|ing)? (in|forward|towards|closer|over)", r"mov\w* (closer|towards|nearer)",
           r"pull\w* (\w+ )?(chair|closer|towards)", r"reach\w* for", r"pick\w* up", r"take[sn]? (out |the |a |up )",
           r"took (the|out)", r"(read|stud(y|ie)|look)\w* (it |the \w+ )?(closely|carefully|again)", r"turn\w* back",
           r"flip\w*", r"(writ|not|jot)\w* .{0,30}down", r"tak\w* notes", r"(chair|seat).{0,15}(closer|forward|nearer)",
           r"closer to", r"touch\w* the", r"tap\w* the", r"fill\w* in", r"runs? a finger", r"asks? for a pen", r"company seal",
           r"calculator", r"work\w* out",),
    "zh": (r"点.{0,2}头", r"點.{0,2}頭", r"探过来", r"探過來", r"探身", r"用笔点", r"用筆點", r"往后翻", r"往後翻", r"一页页",
           r"一頁頁", r"前倾", r"前傾", r"凑近", r"湊近", r"靠近", r"往前", r"往.{0,4}(这边|這邊|跟前)(靠|挪|凑|湊)", r"挪",
           r"拿起", r"拿过", r"拿過", r"接过", r"接過", r"伸手", r"翻看", r"翻回", r"翻到", r"仔细看", r"仔細看", r"细看",
           r"細看", r"记下", r"記下", r"记在", r"記在", r"笔记", r"筆記", r"摸", r"碰", r"手指", r"填", r"公章", r"计算器",
           r"計算器", r"算起", r"要了支笔", r"要了支筆", r"拉到",),
}
_EXPRESSION = {
    "en": (r"smil", r"grin", r"brows?.{0,60}(relax|lift|eas|unknit|smooth)", r"as if (working|counting|thinking)",
           r"in (his|her) head", r"frown (eases|relaxes|fades|lifts)", r"brighten", r"lights? up", r"thoughtful", r"animated",
           r"friendl", r"warmer", r"warm(s|ed)? up", r"soften", r"relax", r"earnest", r"focused", r"serious", r"pleased",
           r"interest(ed)?\b", r"eyes (widen|shine)",),
    "zh": (r"笑", r"眉头舒展", r"眉頭舒展", r"舒展", r"松开", r"鬆開", r"开朗", r"開朗", r"若有所思", r"盘算", r"盤算",
           r"活跃", r"活躍", r"友好", r"友善", r"热络", r"熱絡", r"缓和", r"緩和", r"放松", r"放鬆", r"认真", r"認真", r"专注",
           r"專注", r"亮", r"喜色", r"感兴趣", r"感興趣", r"扬", r"揚",),
}
_COLD = {
    "en": (r"(?<!not a )polite(ly)?", r"(eyes|gaze) (keep |kept )?(drift|wander)", r"clock",
           r"closed (his |her )?(notebook|folder)", r"cross\w* (his |her |their )?arms", r"folds? (his |her )?arms",
           r"(look|glanc|check)\w* (at )?(his |her |the )?(watch|phone|clock|door)", r"sigh", r"lean\w* back", r"yawn",
           r"shak\w* (his |her )?head", r"push\w* (it |the \w+ )?(away|back)", r"frown(s|ing)?\b(?! eases)", r"distracted",),
    "zh": (r"客套", r"客气地", r"客氣地", r"瞟", r"合上", r"礼貌地笑", r"禮貌地笑", r"抱.{0,2}(胳膊|双臂|雙臂)",
           r"看.{0,3}(手表|手錶|表|手机|手機|门口|門口)", r"叹气", r"嘆氣", r"往后一?靠", r"往後一?靠", r"打哈欠", r"摇头",
           r"搖頭", r"推(开|開|了回|回)", r"皱眉", r"皺眉", r"心不在焉",),
}
_ASKS = {
    "en": (r"shall (i|we)\b(?! (list|write|look|go through|compare|talk|discuss|narrow|start with|weigh))",
           r"on condition that", r"as long as the contract", r"if you sign (it )?(today|this week|this month)",
           r"does it make sense to (book|go|sign|start)", r"worth (going ahead|doing)",
           r"when would you like .{0,30}(open|start)",
           r"(i'?ll|i will|let me) (send|draw up|get|prepare)\b.{0,30}(contract|agreement)", r"just say yes", r"help me out",
           r"sign with us", r"(can|could|may) (we|i) (go ahead|sign|start|book|put|get|open|send|close|settle|hold|reserve)",
           r"let'?s (sign|settle|go ahead|get (it|you|the contract|started)|put it|fill|do it|close|book|start)",
           r"would you (like|rather) to (start|go ahead|sign|book|open)", r"would you rather",
           r"ready to (sign|go ahead|start)", r"\bsign (it |the \w+ )?(today|now|this week|here)",
           r"which (one |plan |option |proposal )?(suits|would you|do you)", r"the first or the second",
           r"(\w+) or (the )?(\w+ )?(one|plan|option)\?",
           r"when (would|shall|should|do) (you|we) (like|want)?\s*(to )?(start|open|begin|sign)",
           r"send (you |over )?the (contract|agreement)( over)? (now|today|this afternoon)",
           r"(i'?ll|i will) (send|draw up|get) (you )?the (contract|agreement)", r"get (you )?signed", r"are we agreed",
           r"do we have a deal", r"can we close", r"will you sign", r"can you sign", r"would you sign",
           r"(send|get) it back (stamped|signed)", r"put it in writing", r"are you ready", r"go with it\?",
           r"worth going ahead", r"with that, are we",),
    "zh": (r"签.{0,8}吗", r"簽.{0,8}嗎", r"只要合同", r"只要您.{0,6}签", r"您.{0,6}签的话", r"值得做", r"就做吧", r"订下来",
           r"訂下來", r"帮帮我", r"幫幫我", r"跟我们签", r"跟我們簽",
           r"(我|那)?(现在|現在|这就|這就|马上|馬上|今天|下午)?(就)?(把)?(合同|协议|協議|订单|訂單)(发|發|寄|传|傳|拿|准备|準備|填)",
           r"签(了|下来|下來)?吧", r"簽(了|下來)?吧", r"(能|可以)签", r"(能|可以)簽", r"签吗", r"簽嗎", r"定(下来|下來)?吧",
           r"就这么定", r"就這麼定", r"还是.{0,12}[？?]", r"還是.{0,12}[？?]", r"哪个更合适", r"哪個更合適", r"选哪个",
           r"選哪個", r"选第", r"選第", r"什么时候开通", r"什麼時候開通", r"什么时候(开始|签)", r"什麼時候(開始|簽)",
           r"(给|給)您(订|訂|留|办|辦)", r"我们就(签|簽|定|做|选|選)", r"我們就(簽|定|做|選)", r"落到合同", r"签个字",
           r"簽個字", r"(这样|這樣)可以吗", r"(这样|這樣)可以嗎", r"可以吗[？?]", r"可以嗎[？?]", r"说定", r"說定",
           r"能定下来", r"能定下來", r"办了", r"辦了", r"(盖章|蓋章)寄回", r"一起(把)?(订单|訂單)填", r"就选", r"就選",
           r"开始吧", r"開始吧", r"您就答应", r"您就答應", r"(订|訂)上[？?]",),
}
_PROPOSAL = {
    "en": (r"(proposal|plan|package|membership|quote)\b.{0,80}\b\d[\d,.]*\s*(yuan|rmb|元)",
           r"\d[\d,.]*\s*(yuan|rmb)\b.{0,80}(includ|plan|membership|year|month|quarter)",
           r"here'?s (what i suggest|the (plan|proposal))", r"that'?s the (proposal|plan)", r"i (suggest|recommend|propose)",),
    "zh": (r"(方案|套餐|会员|會員|报价|報價).{0,40}\d[\d,.]*\s*(元|块|塊)",
           r"\d[\d,.]*\s*(元|块|塊).{0,40}(包含|包括|含|全年|一年|季度|半年)", r"我(建议|建議|推荐|推薦)",
           r"(这|這)(就是|是)(我们的|我們的)?(方案|计划|計劃)",),
}
PRESSURE: dict[str, dict[str, tuple[str, ...]]] = {
    "fake-deadline": {
        "en": (r"only (for )?today", r"today only", r"last (day|chance)", r"after (today|tonight)", r"ends? (today|tonight)",
               r"gone for good", r"never (again|be this)", r"(promotion|offer) (has |just )?(ended|ends)",
               r"price goes up tomorrow", r"tomorrow it goes up",),
        "zh": (r"只限今天", r"仅限今天", r"僅限今天", r"只有今天", r"今天最后", r"今天最後", r"最后一天", r"最後一天",
               r"过了今(天|晚)", r"過了今(天|晚)", r"错过.{0,4}没有", r"錯過.{0,4}沒有", r"明天就涨", r"明天就漲",
               r"活动(刚|已经)?结束", r"活動(剛|已經)?結束",),
    },
    "quota-plea": {
        "en": (r"\bquota\b", r"my (target|targets|numbers)", r"short of my", r"assess\w*", r"(help|support) me( out)?\b",
               r"need your support", r"do me a favou?r",),
        "zh": (r"业绩", r"業績", r"考核", r"任务", r"任務", r"指标", r"指標", r"帮帮我", r"幫幫我", r"支持(一下)?我",
               r"需要您(的)?支持", r"还差.{0,3}单", r"還差.{0,3}單", r"冲量", r"衝量",),
    },
    "kickback": {
        "en": (r"kickback", r"something (in it )?for you personally", r"for you personally", r"red envelope",
               r"between (us|you and me)", r"commission for you", r"a little something", r"personal (benefit|thank)",
               r"consulting fee", r"gift card",),
        "zh": (r"回扣", r"红包", r"紅包", r"好处费", r"好處費", r"个人(的)?好处", r"個人(的)?好處", r"私下", r"意思意思",
               r"返点给您", r"返點給您", r"感谢费", r"感謝費", r"辛苦费", r"辛苦費",),
    },
}


@cache
def _rx(parts: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(parts), re.I)


def _lang(text: str) -> str:
    """``zh`` when the text has Chinese characters, else ``en``."""
    return "zh" if re.search(r"[\u4e00-\u9fff]", text) else "en"


def hits(patterns: dict[str, tuple[str, ...]], text: str) -> int:
    """How many places in ``text`` match the patterns of its language."""
    return len(_rx(patterns[_lang(text)]).findall(text))


def direction_kind(direction: str) -> str | None:
    """What a stage direction shows: ``signal.action``, ``signal.expression``, ``not`` (a cold sign), or None."""
    cold, action, face = hits(_COLD, direction), hits(_ACTION, direction), hits(_EXPRESSION, direction)
    if action + face == 0:
        return "not" if cold else None
    if cold >= action + face:
        return "not"
    return ACTION if action >= face else EXPRESSION


def asks_for_order(text: str) -> bool:
    """True when a rep's line asks for the order: a trial close or a direct ask."""
    return bool(hits(_ASKS, text))


def presents_proposal(text: str) -> bool:
    """True when a rep's line lays out a proposal (a plan with its price, or "here's what I suggest")."""
    return bool(hits(_PROPOSAL, text))


def pressure(text: str) -> tuple[str, ...]:
    """The kinds of wording to avoid in a line: fake-deadline, quota-plea, kickback."""
    return tuple(kind for kind, patterns in PRESSURE.items() if hits(patterns, text))
