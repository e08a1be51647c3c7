//! The words the diagrams draw themselves, in every UI language.
//!
//! The site has its own UI labels; these are only what appears inside the
//! SVGs (lane names, legends, tags), so that a diagram dropped into a slide
//! speaks the handbook's language.

use crate::config::Language;
use crate::model::{Evidence, Lane, Level, MapState, PainKind, Status};

/// Every word a diagram draws, in one language.
#[derive(Debug)]
pub struct Labels {
    pub lanes: [&'static str; 9],
    pub moment_of_truth: &'static str,
    pub lowest_point: &'static str,
    pub assumption: &'static str,
    pub partial_evidence: &'static str,
    pub research: &'static str,
    pub not_rated: &'static str,
    pub neutral: &'static str,
    pub target: &'static str,
    pub previous: &'static str,
    pub due: &'static str,
    pub swimlane: &'static str,
    pub emotion_curve: &'static str,
    pub stages_word: &'static str,
    pub touchpoints_word: &'static str,
    pub scale_word: &'static str,
    pub compared_with: &'static str,
    pub states: [&'static str; 3],
    pub kinds: [&'static str; 4],
    pub severities: [&'static str; 3],
    pub priorities: [&'static str; 3],
    pub statuses: [&'static str; 5],
    /// Between two tags on one line.
    pub sep: &'static str,
    /// Between a label and its value ("Scale: -2 to 2").
    pub colon: &'static str,
    pub to: &'static str,
}

impl Labels {
    pub fn get(lang: Language) -> &'static Labels {
        match lang {
            Language::En => &EN,
            Language::ZhHant => &ZH_HANT,
            Language::ZhHans => &ZH_HANS,
        }
    }
    pub fn lane(&self, lane: Lane) -> &'static str {
        let i = Lane::ALL.iter().position(|l| *l == lane).unwrap_or(0);
        self.lanes[i]
    }
    pub fn state(&self, s: MapState) -> &'static str {
        self.states[s as usize]
    }
    pub fn kind(&self, k: PainKind) -> &'static str {
        self.kinds[k as usize]
    }
    pub fn severity(&self, l: Level) -> &'static str {
        self.severities[l as usize]
    }
    pub fn priority(&self, l: Level) -> &'static str {
        self.priorities[l as usize]
    }
    pub fn status(&self, s: Status) -> &'static str {
        self.statuses[s as usize]
    }
    pub fn evidence(&self, e: Evidence) -> &'static str {
        match e {
            Evidence::Research => self.research,
            Evidence::Partial => self.partial_evidence,
            Evidence::Assumption => self.assumption,
        }
    }
}

pub static EN: Labels = Labels {
    lanes: [
        "Actions",
        "Touchpoints",
        "Channels",
        "Thoughts",
        "Emotions",
        "Pains",
        "Opportunities",
        "Owners",
        "Metrics",
    ],
    moment_of_truth: "Moment of truth",
    lowest_point: "Lowest point",
    assumption: "Assumption",
    partial_evidence: "Partial evidence",
    research: "Research",
    not_rated: "No emotion given",
    neutral: "Neutral",
    target: "target",
    previous: "was",
    due: "due",
    swimlane: "Swimlane",
    emotion_curve: "Emotion curve",
    stages_word: " stages",
    touchpoints_word: " touchpoints",
    scale_word: "scale",
    compared_with: "compared with",
    states: ["Current state", "Future state", "Day in the life"],
    kinds: ["Process", "Product", "Emotional", "Support"],
    severities: [
        "Low\u{a0}severity",
        "Medium\u{a0}severity",
        "High\u{a0}severity",
    ],
    priorities: [
        "Low\u{a0}priority",
        "Medium\u{a0}priority",
        "High\u{a0}priority",
    ],
    statuses: ["Idea", "Planned", "In\u{a0}progress", "Done", "Dropped"],
    sep: "\u{a0}· ",
    colon: ": ",
    to: " to ",
};

pub static ZH_HANT: Labels = Labels {
    lanes: [
        "行動",
        "接觸點",
        "管道",
        "想法",
        "情緒",
        "痛點",
        "機會",
        "負責人",
        "指標",
    ],
    moment_of_truth: "關鍵時刻",
    lowest_point: "最低點",
    assumption: "假設",
    partial_evidence: "部分證據",
    research: "研究",
    not_rated: "未評分",
    neutral: "中性",
    target: "目標",
    previous: "先前",
    due: "截止",
    swimlane: "泳道圖",
    emotion_curve: "情緒曲線",
    stages_word: "個階段",
    touchpoints_word: "個接觸點",
    scale_word: "量表",
    compared_with: "對照",
    states: ["現況", "未來", "日常的一天"],
    kinds: ["流程", "產品", "情緒", "支援"],
    severities: ["嚴重度低", "嚴重度中", "嚴重度高"],
    priorities: ["優先度低", "優先度中", "優先度高"],
    statuses: ["構想", "已規劃", "進行中", "已完成", "已放棄"],
    sep: "・",
    colon: "：",
    to: "至",
};

pub static ZH_HANS: Labels = Labels {
    lanes: [
        "行动",
        "触点",
        "渠道",
        "想法",
        "情绪",
        "痛点",
        "机会",
        "负责人",
        "指标",
    ],
    moment_of_truth: "关键时刻",
    lowest_point: "最低点",
    assumption: "假设",
    partial_evidence: "部分证据",
    research: "研究",
    not_rated: "未评分",
    neutral: "中性",
    target: "目标",
    previous: "此前",
    due: "截止",
    swimlane: "泳道图",
    emotion_curve: "情绪曲线",
    stages_word: "个阶段",
    touchpoints_word: "个触点",
    scale_word: "量表",
    compared_with: "对照",
    states: ["现状", "未来", "日常的一天"],
    kinds: ["流程", "产品", "情绪", "支持"],
    severities: ["严重度低", "严重度中", "严重度高"],
    priorities: ["优先级低", "优先级中", "优先级高"],
    statuses: ["构想", "已规划", "进行中", "已完成", "已放弃"],
    sep: "・",
    colon: "：",
    to: "至",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_word() {
        for l in [&EN, &ZH_HANT, &ZH_HANS] {
            let dbg = format!("{l:?}");
            assert!(!dbg.contains("\"\""), "an empty label: {dbg}");
        }
        assert_eq!(Labels::get(Language::ZhHant).lane(Lane::Pains), "痛點");
        assert_eq!(EN.status(Status::InProgress), "In\u{a0}progress");
        assert_eq!(ZH_HANS.kind(PainKind::Support), "支持");
    }
}
