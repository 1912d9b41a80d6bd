// Pieces the meeting pages share: styles, the headers that keep materials out of caches and search
// engines, the 404 for a meeting (or case) the viewer may not see, the confidentiality pledge text
// (社会福祉法第106条の6第5項) and the unmet-needs aggregate table (counts only).
import { data } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { staffLinks } from "~/staff/ui";
import meetingStylesHref from "./meetings.css";
import { MEETING_KINDS } from "./rules";

export const meetingLinks = () => [...staffLinks(), { rel: "stylesheet", href: meetingStylesHref }];

/** Meeting materials are never public: not stored by browsers or proxies, not indexed. */
export const meetingHeaders = () => ({ "Cache-Control": "no-store", "X-Robots-Tag": "noindex" });

/** A meeting that does not exist and one the viewer is not a member of get the same answer. */
export function meetingNotFound(): never {
  throw data({ message: "この会議は見つかりません（構成員でない会議は表示されません）。", messageEn: "Meeting not found." }, { status: 404 });
}

/** A case hidden from the viewer in this meeting is "not found", like a case that does not exist. */
export function meetingCaseNotFound(): never {
  throw data(
    {
      message: "この事例は表示できません（会議の構成員で、支援会議では守秘義務の誓約の後、重層的支援会議では本人の同意がある事例だけが表示されます）。",
      messageEn: "Case not found in this meeting.",
    },
    { status: 404 },
  );
}

export function idParam(value: string | undefined): number | null {
  return /^\d{1,9}$/.test(value ?? "") && Number(value) > 0 ? Number(value) : null;
}

/** What each kind of meeting may discuss, one line each (the creation form and the meeting page). */
export const MEETING_KIND_SCOPE: Record<string, string> = {
  support:
    "社会福祉法第106条の6に基づく会議です。本人の同意がない事例（不同意・不明）も、守秘義務を負う構成員の間で共有して検討できます。構成員は事例を見る前に守秘義務の誓約をします。",
  jusouteki: "プランの評価・再プラン・終結・中断と、不足している社会資源を検討する会議です。本人の同意（同意）がある事例だけを扱います。",
};

export function meetingKindOption(code: string) {
  return MEETING_KINDS.find((k) => k.code === code);
}

/**
 * The pledge a 支援会議 member accepts before any case is shown (the wording follows 法第106条の6第5項
 * and Nagaizumi's 「守秘義務の適用範囲」). The same text is printed for external members to sign.
 */
export function PledgeText({ title, heldOn }: { title: string; heldOn: string }) {
  return (
    <div className="pledge-text">
      <h3>守秘義務の誓約</h3>
      <p>
        私は、「{title}」（{heldOn}）の構成員として、社会福祉法第106条の6第5項の「支援会議の事務に従事する者又は従事していた者は、正当な理由がなく、支援会議の事務に関して知り得た秘密を漏らしてはならない」という定めに従い、次のことを誓約します。
      </p>
      <ol>
        <li>支援会議で知り得た秘密（本人や世帯に関する情報だけでなく、会議で扱った事務に関することも含みます）を、正当な理由なく他に漏らしません。会議が終わった後も、構成員でなくなった後も同じです。</li>
        <li>会議の資料や共有された情報は、本人に必要な支援を届けるための検討にだけ使い、複写・持ち出し・ほかの目的での利用をしません。</li>
        <li>本人の同意がない事例も共有されることを理解し、本人と家族の尊厳とプライバシーに配慮します。</li>
        <li>この義務に違反して秘密を漏らした場合は、社会福祉法の罰則の対象となることを理解しています。</li>
      </ol>
    </div>
  );
}

export { UnmetNeedsTables, type UnmetNeedsAggregate } from "~/staff/ui";

export function BackToMeetings() {
  return (
    <p className="no-print">
      <Link to="/staff/meetings">← 会議の一覧</Link>
    </p>
  );
}
