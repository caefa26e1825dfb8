/**
 * What staff of a participating authority are told by e-mail about a cooperation procedure, in their authority's
 * language. One notice per event that asks something of them (not one per participant's every move).
 */
export type NoticeEvent =
  'opened' | 'step' | 'message' | 'due_soon' | 'missed' | 'joint_affected' | 'joint_realigned' | 'clock_moved';

/** What changed in an authority's calendar (a closure day, its settings, the release's public-holiday data). */
export type NoticeChange = 'added' | 'removed' | 'settings' | 'holiday_data';

export interface NoticeFacts {
  reference: string;
  title: string;
  from: string;
  label?: string;
  dueDate?: string;
  /** A joint deadline: where the participants' calendars put it now (the recipient's local date). */
  newDueDate?: string;
  /**
   * The closure day added or removed (never why: that stays with the authority that closes), or the local day on which
   * the calendar settings or the holiday data changed.
   */
  closureDate?: string;
  change?: NoticeChange;
  /** Why a joint deadline was re-aligned, as its author wrote it. */
  reason?: string;
  link: string;
}

type Texts = Record<NoticeEvent, (facts: NoticeFacts) => { subject: string; body: string }>;

/** Why a date moved, told without another authority's reasons. */
const enCause = (f: NoticeFacts) =>
  f.change === 'settings'
    ? `${f.from} changed the settings of its calendar on ${f.closureDate}.`
    : f.change === 'holiday_data'
      ? `The public-holiday data with which Docket counts periods was updated on ${f.closureDate}.`
      : `${f.from} has ${f.change === 'added' ? 'added' : 'removed'} ${f.closureDate} as a closure day.`;

const en: Texts = {
  opened: (f) => ({
    subject: `${f.reference}: ${f.from} opened a ${f.title}`,
    body: `${f.from} has opened the cooperation procedure ${f.reference} (${f.title}) with your authority.${f.dueDate ? ` ${f.label}: due on ${f.dueDate}.` : ''}`,
  }),
  step: (f) => ({
    subject: `${f.reference}: ${f.label} by ${f.from}`,
    body: `${f.from} has recorded "${f.label}" in the cooperation procedure ${f.reference}.${f.dueDate ? ` Your period ends on ${f.dueDate}.` : ''}`,
  }),
  message: (f) => ({
    subject: `${f.reference}: message from ${f.from}`,
    body: `${f.from} has sent a message in the cooperation procedure ${f.reference}.`,
  }),
  due_soon: (f) => ({
    subject: `${f.reference}: ${f.label} due on ${f.dueDate}`,
    body: `In the cooperation procedure ${f.reference}, "${f.label}" is due on ${f.dueDate}.`,
  }),
  missed: (f) => ({
    subject: `${f.reference}: ${f.label} overdue since ${f.dueDate}`,
    body: `In the cooperation procedure ${f.reference}, the period for "${f.label}" (${f.from}) ended on ${f.dueDate} without the required step.`,
  }),
  joint_affected: (f) => ({
    subject: `${f.reference}: the joint deadline "${f.label}" is affected by ${f.change === 'added' || f.change === 'removed' ? 'a closure day' : 'a calendar change'}`,
    body: `${enCause(f)} The joint deadline "${f.label}" of the cooperation procedure ${f.reference} is recorded for ${f.dueDate}; with the participants' calendars as they now stand it falls on ${f.newDueDate}. Any participating authority may re-align it on the procedure page.`,
  }),
  joint_realigned: (f) => ({
    subject: `${f.reference}: the joint deadline "${f.label}" now falls on ${f.newDueDate}`,
    body: `${f.from} has re-aligned the joint deadline "${f.label}" of the cooperation procedure ${f.reference} from ${f.dueDate} to ${f.newDueDate}. Reason given: ${f.reason}`,
  }),
  clock_moved: (f) => ({
    subject: `${f.reference}: "${f.label}" now ends on ${f.newDueDate}`,
    body: `${enCause(f)} In the cooperation procedure ${f.reference}, the period for "${f.label}" (${f.from}) was to end on ${f.dueDate}; counted again on that calendar, it ends on ${f.newDueDate}.`,
  }),
};

/** Why a date moved, told without another authority's reasons. */
const itCause = (f: NoticeFacts) =>
  f.change === 'settings'
    ? `${f.from} ha modificato le impostazioni del proprio calendario il ${f.closureDate}.`
    : f.change === 'holiday_data'
      ? `I dati sulle festività con cui Docket computa i termini sono stati aggiornati il ${f.closureDate}.`
      : `${f.from} ha ${f.change === 'added' ? 'inserito' : 'eliminato'} il ${f.closureDate} quale giorno di chiusura.`;

const it: Texts = {
  opened: (f) => ({
    subject: `${f.reference}: ${f.from} ha avviato una procedura di cooperazione`,
    body: `${f.from} ha avviato con codesta Autorità la procedura di cooperazione ${f.reference} (${f.title}).${f.dueDate ? ` ${f.label}: termine al ${f.dueDate}.` : ''}`,
  }),
  step: (f) => ({
    subject: `${f.reference}: nuovo atto di ${f.from}`,
    body: `${f.from} ha registrato l'atto "${f.label}" nella procedura di cooperazione ${f.reference}.${f.dueDate ? ` Il termine per codesta Autorità scade il ${f.dueDate}.` : ''}`,
  }),
  message: (f) => ({
    subject: `${f.reference}: comunicazione di ${f.from}`,
    body: `${f.from} ha inviato una comunicazione nella procedura di cooperazione ${f.reference}.`,
  }),
  due_soon: (f) => ({
    subject: `${f.reference}: termine in scadenza il ${f.dueDate}`,
    body: `Nella procedura di cooperazione ${f.reference} il termine per "${f.label}" scade il ${f.dueDate}.`,
  }),
  missed: (f) => ({
    subject: `${f.reference}: termine scaduto il ${f.dueDate}`,
    body: `Nella procedura di cooperazione ${f.reference} il termine per "${f.label}" (${f.from}) è scaduto il ${f.dueDate} senza l'atto richiesto.`,
  }),
  joint_affected: (f) => ({
    subject: `${f.reference}: il termine congiunto "${f.label}" è interessato da ${f.change === 'added' || f.change === 'removed' ? 'un giorno di chiusura' : 'una modifica del calendario'}`,
    body: `${itCause(f)} Il termine congiunto "${f.label}" della procedura di cooperazione ${f.reference} è fissato al ${f.dueDate}; in base ai calendari attuali dei partecipanti cadrebbe il ${f.newDueDate}. Ciascuna Autorità partecipante può riallinearlo dalla pagina della procedura.`,
  }),
  joint_realigned: (f) => ({
    subject: `${f.reference}: il termine congiunto "${f.label}" scade ora il ${f.newDueDate}`,
    body: `${f.from} ha riallineato il termine congiunto "${f.label}" della procedura di cooperazione ${f.reference} dal ${f.dueDate} al ${f.newDueDate}. Motivazione: ${f.reason}`,
  }),
  clock_moved: (f) => ({
    subject: `${f.reference}: il termine per "${f.label}" scade ora il ${f.newDueDate}`,
    body: `${itCause(f)} Nella procedura di cooperazione ${f.reference} il termine per "${f.label}" (${f.from}) scadeva il ${f.dueDate}; ricomputato su tale calendario, scade il ${f.newDueDate}.`,
  }),
};

/** Why a date moved, told without another authority's reasons. */
const koCause = (f: NoticeFacts) =>
  f.change === 'settings'
    ? `${f.from}이(가) ${f.closureDate}에 기관 일정 설정을 변경하였습니다.`
    : f.change === 'holiday_data'
      ? `Docket이 기한 계산에 사용하는 공휴일 정보가 ${f.closureDate}에 갱신되었습니다.`
      : `${f.from}이(가) ${f.closureDate}을(를) 휴무일로 ${f.change === 'added' ? '지정하였습니다' : '지정 해제하였습니다'}.`;

const ko: Texts = {
  opened: (f) => ({
    subject: `${f.reference}: ${f.from}의 협력 절차 개시`,
    body: `${f.from}이(가) 귀 기관과의 협력 절차 ${f.reference}(${f.title})를 개시하였습니다.${f.dueDate ? ` ${f.label}: 처리기한 ${f.dueDate}.` : ''}`,
  }),
  step: (f) => ({
    subject: `${f.reference}: ${f.from}의 절차 진행`,
    body: `${f.from}이(가) 협력 절차 ${f.reference}에 "${f.label}"을(를) 등록하였습니다.${f.dueDate ? ` 귀 기관의 처리기한은 ${f.dueDate}입니다.` : ''}`,
  }),
  message: (f) => ({
    subject: `${f.reference}: ${f.from}의 메시지`,
    body: `${f.from}이(가) 협력 절차 ${f.reference}에서 메시지를 보냈습니다.`,
  }),
  due_soon: (f) => ({
    subject: `${f.reference}: 처리기한 ${f.dueDate}`,
    body: `협력 절차 ${f.reference}의 "${f.label}" 처리기한은 ${f.dueDate}입니다.`,
  }),
  missed: (f) => ({
    subject: `${f.reference}: 처리기한 경과 (${f.dueDate})`,
    body: `협력 절차 ${f.reference}의 "${f.label}"(${f.from}) 처리기한이 ${f.dueDate}에 경과하였으나 필요한 조치가 이루어지지 않았습니다.`,
  }),
  joint_affected: (f) => ({
    subject: `${f.reference}: ${f.change === 'added' || f.change === 'removed' ? '휴무일 변경으로' : '일정 변경으로'} 공동 기한 "${f.label}"이(가) 영향을 받습니다`,
    body: `${koCause(f)} 협력 절차 ${f.reference}의 공동 기한 "${f.label}"은(는) ${f.dueDate}로 기록되어 있으나, 현재 참여 기관들의 일정에 따르면 ${f.newDueDate}이(가) 됩니다. 참여 기관은 절차 화면에서 기한을 재조정할 수 있습니다.`,
  }),
  joint_realigned: (f) => ({
    subject: `${f.reference}: 공동 기한 "${f.label}"이(가) ${f.newDueDate}(으)로 조정되었습니다`,
    body: `${f.from}이(가) 협력 절차 ${f.reference}의 공동 기한 "${f.label}"을(를) ${f.dueDate}에서 ${f.newDueDate}(으)로 재조정하였습니다. 사유: ${f.reason}`,
  }),
  clock_moved: (f) => ({
    subject: `${f.reference}: "${f.label}" 기한이 ${f.newDueDate}(으)로 변경되었습니다`,
    body: `${koCause(f)} 협력 절차 ${f.reference}의 "${f.label}"(${f.from}) 기한은 ${f.dueDate}이었으나, 해당 일정으로 다시 계산한 결과 ${f.newDueDate}입니다.`,
  }),
};

/** Why a date moved, told without another authority's reasons. */
const jaCause = (f: NoticeFacts) =>
  f.change === 'settings'
    ? `${f.from}は、${f.closureDate}に暦の設定を変更しました。`
    : f.change === 'holiday_data'
      ? `Docketが期間の計算に用いる祝日データが${f.closureDate}に更新されました。`
      : `${f.from}は、${f.closureDate}を休業日として${f.change === 'added' ? '追加しました' : '取り消しました'}。`;

const ja: Texts = {
  opened: (f) => ({
    subject: `${f.reference}：${f.from}による協力手続の開始`,
    body: `${f.from}は、貴機関との協力手続${f.reference}（${f.title}）を開始しました。${f.dueDate ? `${f.label}：回答期限 ${f.dueDate}。` : ''}`,
  }),
  step: (f) => ({
    subject: `${f.reference}：${f.from}による手続の進行`,
    body: `${f.from}は、協力手続${f.reference}において「${f.label}」を登録しました。${f.dueDate ? `貴機関の期限は${f.dueDate}です。` : ''}`,
  }),
  message: (f) => ({
    subject: `${f.reference}：${f.from}からの連絡`,
    body: `${f.from}は、協力手続${f.reference}において連絡を送付しました。`,
  }),
  due_soon: (f) => ({
    subject: `${f.reference}：期限 ${f.dueDate}`,
    body: `協力手続${f.reference}における「${f.label}」の期限は${f.dueDate}です。`,
  }),
  missed: (f) => ({
    subject: `${f.reference}：期限経過（${f.dueDate}）`,
    body: `協力手続${f.reference}における「${f.label}」（${f.from}）の期限は${f.dueDate}に経過しましたが、所要の手続がなされていません。`,
  }),
  joint_affected: (f) => ({
    subject: `${f.reference}：${f.change === 'added' || f.change === 'removed' ? '休業日の変更により' : '暦の変更により'}共同期限「${f.label}」に影響があります`,
    body: `${jaCause(f)}協力手続${f.reference}の共同期限「${f.label}」は${f.dueDate}と記録されていますが、現在の参加機関の暦によれば${f.newDueDate}となります。参加機関は手続の画面から期限を再調整することができます。`,
  }),
  joint_realigned: (f) => ({
    subject: `${f.reference}：共同期限「${f.label}」は${f.newDueDate}に変更されました`,
    body: `${f.from}は、協力手続${f.reference}の共同期限「${f.label}」を${f.dueDate}から${f.newDueDate}に再調整しました。理由：${f.reason}`,
  }),
  clock_moved: (f) => ({
    subject: `${f.reference}：「${f.label}」の期限は${f.newDueDate}に変更されました`,
    body: `${jaCause(f)}協力手続${f.reference}における「${f.label}」（${f.from}）の期限は${f.dueDate}でしたが、当該暦により再計算した結果、${f.newDueDate}となります。`,
  }),
};

/** Why a date moved, told without another authority's reasons. */
const frCause = (f: NoticeFacts) =>
  f.change === 'settings'
    ? `${f.from} a modifié les paramètres de son calendrier le ${f.closureDate}.`
    : f.change === 'holiday_data'
      ? `Les données relatives aux jours fériés avec lesquelles Docket calcule les délais ont été mises à jour le ${f.closureDate}.`
      : `${f.from} a ${f.change === 'added' ? 'ajouté' : 'supprimé'} le ${f.closureDate} comme jour de fermeture.`;

const fr: Texts = {
  opened: (f) => ({
    subject: `${f.reference} : ${f.from} a ouvert une procédure de coopération`,
    body: `${f.from} a ouvert avec votre autorité la procédure de coopération ${f.reference} (${f.title}).${f.dueDate ? ` ${f.label} : délai au ${f.dueDate}.` : ''}`,
  }),
  step: (f) => ({
    subject: `${f.reference} : nouvel acte de ${f.from}`,
    body: `${f.from} a enregistré « ${f.label} » dans la procédure de coopération ${f.reference}.${f.dueDate ? ` Le délai de votre autorité expire le ${f.dueDate}.` : ''}`,
  }),
  message: (f) => ({
    subject: `${f.reference} : message de ${f.from}`,
    body: `${f.from} a adressé un message dans la procédure de coopération ${f.reference}.`,
  }),
  due_soon: (f) => ({
    subject: `${f.reference} : échéance le ${f.dueDate}`,
    body: `Dans la procédure de coopération ${f.reference}, le délai pour « ${f.label} » expire le ${f.dueDate}.`,
  }),
  missed: (f) => ({
    subject: `${f.reference} : délai expiré le ${f.dueDate}`,
    body: `Dans la procédure de coopération ${f.reference}, le délai pour « ${f.label} » (${f.from}) a expiré le ${f.dueDate} sans l'acte requis.`,
  }),
  joint_affected: (f) => ({
    subject: `${f.reference} : l'échéance commune « ${f.label} » est affectée par ${f.change === 'added' || f.change === 'removed' ? 'un jour de fermeture' : 'une modification du calendrier'}`,
    body: `${frCause(f)} L'échéance commune « ${f.label} » de la procédure de coopération ${f.reference} est fixée au ${f.dueDate} ; selon les calendriers actuels des participants, elle tomberait le ${f.newDueDate}. Toute autorité participante peut la réaligner depuis la page de la procédure.`,
  }),
  joint_realigned: (f) => ({
    subject: `${f.reference} : l'échéance commune « ${f.label} » est désormais le ${f.newDueDate}`,
    body: `${f.from} a réaligné l'échéance commune « ${f.label} » de la procédure de coopération ${f.reference} du ${f.dueDate} au ${f.newDueDate}. Motif indiqué : ${f.reason}`,
  }),
  clock_moved: (f) => ({
    subject: `${f.reference} : le délai pour « ${f.label} » expire désormais le ${f.newDueDate}`,
    body: `${frCause(f)} Dans la procédure de coopération ${f.reference}, le délai pour « ${f.label} » (${f.from}) expirait le ${f.dueDate} ; recalculé sur ce calendrier, il expire le ${f.newDueDate}.`,
  }),
};

/** Why a date moved, told without another authority's reasons. */
const deCause = (f: NoticeFacts) =>
  f.change === 'settings'
    ? `${f.from} hat am ${f.closureDate} die Einstellungen ihres Kalenders geändert.`
    : f.change === 'holiday_data'
      ? `Die Feiertagsdaten, mit denen Docket Fristen berechnet, wurden am ${f.closureDate} aktualisiert.`
      : `${f.from} hat den ${f.closureDate} als Schließtag ${f.change === 'added' ? 'eingetragen' : 'gestrichen'}.`;

const de: Texts = {
  opened: (f) => ({
    subject: `${f.reference}: ${f.from} hat ein Kooperationsverfahren eingeleitet`,
    body: `${f.from} hat mit Ihrer Behörde das Kooperationsverfahren ${f.reference} (${f.title}) eingeleitet.${f.dueDate ? ` ${f.label}: Frist bis ${f.dueDate}.` : ''}`,
  }),
  step: (f) => ({
    subject: `${f.reference}: neuer Verfahrensschritt von ${f.from}`,
    body: `${f.from} hat im Kooperationsverfahren ${f.reference} „${f.label}“ erfasst.${f.dueDate ? ` Die Frist Ihrer Behörde endet am ${f.dueDate}.` : ''}`,
  }),
  message: (f) => ({
    subject: `${f.reference}: Mitteilung von ${f.from}`,
    body: `${f.from} hat im Kooperationsverfahren ${f.reference} eine Mitteilung übersandt.`,
  }),
  due_soon: (f) => ({
    subject: `${f.reference}: Frist endet am ${f.dueDate}`,
    body: `Im Kooperationsverfahren ${f.reference} endet die Frist für „${f.label}“ am ${f.dueDate}.`,
  }),
  missed: (f) => ({
    subject: `${f.reference}: Frist am ${f.dueDate} abgelaufen`,
    body: `Im Kooperationsverfahren ${f.reference} ist die Frist für „${f.label}“ (${f.from}) am ${f.dueDate} ohne den erforderlichen Schritt abgelaufen.`,
  }),
  joint_affected: (f) => ({
    subject: `${f.reference}: Die gemeinsame Frist „${f.label}“ ist von ${f.change === 'added' || f.change === 'removed' ? 'einem Schließtag' : 'einer Kalenderänderung'} betroffen`,
    body: `${deCause(f)} Die gemeinsame Frist „${f.label}“ im Kooperationsverfahren ${f.reference} ist für den ${f.dueDate} festgehalten; nach den derzeitigen Kalendern der Beteiligten fiele sie auf den ${f.newDueDate}. Jede beteiligte Behörde kann sie auf der Seite des Verfahrens neu abstimmen.`,
  }),
  joint_realigned: (f) => ({
    subject: `${f.reference}: Die gemeinsame Frist „${f.label}“ endet nun am ${f.newDueDate}`,
    body: `${f.from} hat die gemeinsame Frist „${f.label}“ im Kooperationsverfahren ${f.reference} vom ${f.dueDate} auf den ${f.newDueDate} neu abgestimmt. Angegebener Grund: ${f.reason}`,
  }),
  clock_moved: (f) => ({
    subject: `${f.reference}: Die Frist für „${f.label}“ endet nun am ${f.newDueDate}`,
    body: `${deCause(f)} Im Kooperationsverfahren ${f.reference} sollte die Frist für „${f.label}“ (${f.from}) am ${f.dueDate} enden; nach diesem Kalender neu berechnet endet sie am ${f.newDueDate}.`,
  }),
};

/** Why a date moved, told without another authority's reasons. */
const nlCause = (f: NoticeFacts) =>
  f.change === 'settings'
    ? `${f.from} heeft op ${f.closureDate} de instellingen van haar kalender gewijzigd.`
    : f.change === 'holiday_data'
      ? `De gegevens over feestdagen waarmee Docket termijnen berekent, zijn op ${f.closureDate} bijgewerkt.`
      : `${f.from} heeft ${f.closureDate} als sluitingsdag ${f.change === 'added' ? 'toegevoegd' : 'geschrapt'}.`;

const nl: Texts = {
  opened: (f) => ({
    subject: `${f.reference}: ${f.from} heeft een samenwerkingsprocedure ingesteld`,
    body: `${f.from} heeft met uw autoriteit de samenwerkingsprocedure ${f.reference} (${f.title}) ingesteld.${f.dueDate ? ` ${f.label}: termijn tot ${f.dueDate}.` : ''}`,
  }),
  step: (f) => ({
    subject: `${f.reference}: nieuwe stap van ${f.from}`,
    body: `${f.from} heeft in de samenwerkingsprocedure ${f.reference} "${f.label}" vastgelegd.${f.dueDate ? ` De termijn van uw autoriteit verstrijkt op ${f.dueDate}.` : ''}`,
  }),
  message: (f) => ({
    subject: `${f.reference}: bericht van ${f.from}`,
    body: `${f.from} heeft een bericht gestuurd in de samenwerkingsprocedure ${f.reference}.`,
  }),
  due_soon: (f) => ({
    subject: `${f.reference}: termijn verstrijkt op ${f.dueDate}`,
    body: `In de samenwerkingsprocedure ${f.reference} verstrijkt de termijn voor "${f.label}" op ${f.dueDate}.`,
  }),
  missed: (f) => ({
    subject: `${f.reference}: termijn verstreken op ${f.dueDate}`,
    body: `In de samenwerkingsprocedure ${f.reference} is de termijn voor "${f.label}" (${f.from}) op ${f.dueDate} verstreken zonder de vereiste stap.`,
  }),
  joint_affected: (f) => ({
    subject: `${f.reference}: de gezamenlijke termijn "${f.label}" wordt geraakt door ${f.change === 'added' || f.change === 'removed' ? 'een sluitingsdag' : 'een kalenderwijziging'}`,
    body: `${nlCause(f)} De gezamenlijke termijn "${f.label}" in de samenwerkingsprocedure ${f.reference} staat op ${f.dueDate}; volgens de huidige kalenders van de deelnemers valt hij op ${f.newDueDate}. Elke deelnemende autoriteit kan hem op de pagina van de procedure opnieuw afstemmen.`,
  }),
  joint_realigned: (f) => ({
    subject: `${f.reference}: de gezamenlijke termijn "${f.label}" verstrijkt nu op ${f.newDueDate}`,
    body: `${f.from} heeft de gezamenlijke termijn "${f.label}" in de samenwerkingsprocedure ${f.reference} opnieuw afgestemd van ${f.dueDate} naar ${f.newDueDate}. Opgegeven reden: ${f.reason}`,
  }),
  clock_moved: (f) => ({
    subject: `${f.reference}: de termijn voor "${f.label}" verstrijkt nu op ${f.newDueDate}`,
    body: `${nlCause(f)} In de samenwerkingsprocedure ${f.reference} zou de termijn voor "${f.label}" (${f.from}) op ${f.dueDate} verstrijken; opnieuw berekend op die kalender verstrijkt hij op ${f.newDueDate}.`,
  }),
};

const BY_LANGUAGE: Record<string, Texts> = { en, it, ko, ja, fr, de, nl };

/** The notice in the language of `locale` (e.g. `it-IT`), English when Docket has none for it. */
export function cooperationNotice(
  event: NoticeEvent,
  locale: string,
  facts: NoticeFacts,
): { subject: string; text: string } {
  const texts = BY_LANGUAGE[locale.slice(0, 2).toLowerCase()] ?? en;
  const { subject, body } = texts[event](facts);
  return { subject, text: `${body}\n\n${facts.link}\n` };
}
