/** The documents rule ids point into (shared/seeds); numbered ones cite their item. */
const DOCUMENTS: Record<string, { title: string; numbered: boolean }> = {
  A: { title: '《关于提高改革方案质量推进改革举措落地的意见》', numbered: true },
  Y: { title: '《全面深化改革工作推进落实机制》', numbered: true },
  S: { title: '“清单制+责任制”改革落实机制', numbered: false },
  W: { title: '改革落实推进机制', numbered: false },
  H: { title: '改革落实闭环机制', numbered: false },
};

/** '《关于提高改革方案质量推进改革举措落地的意见》第9条(A9)' */
export function citeRule(id: string): string {
  const doc = DOCUMENTS[id[0]];
  if (!doc) return id;
  return doc.numbered ? `${doc.title}第${id.slice(1)}条(${id})` : `${doc.title}(${id})`;
}
