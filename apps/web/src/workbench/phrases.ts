import { EditorState } from '@codemirror/state';

/** CodeMirror's own words (search panel, folding, lint panel, merge view) in Chinese. */
export const chinesePhrases = EditorState.phrases.of({
  // @codemirror/search
  Find: '查找',
  Replace: '替换',
  next: '下一个',
  previous: '上一个',
  all: '全部',
  'match case': '区分大小写',
  regexp: '正则表达式',
  'by word': '整词',
  replace: '替换',
  'replace all': '全部替换',
  close: '关闭',
  'current match': '当前匹配',
  'replaced $ matches': '已替换 $ 处',
  'replaced match on line $': '已替换第 $ 行的匹配',
  'on line': '在第几行',
  'Go to line': '跳到行',
  go: '跳转',
  // @codemirror/language (folding)
  'Fold line': '折叠',
  'Unfold line': '展开',
  'Folded lines': '已折叠的行',
  'folded code': '已折叠的代码',
  unfold: '展开',
  // @codemirror/lint
  Diagnostics: '检查结果',
  'No diagnostics': '没有发现问题',
  // @codemirror/view, autocomplete
  'Control character': '控制字符',
  'Selection deleted': '已删除所选内容',
  Completions: '补全',
  // @codemirror/merge
  '$ unchanged lines': '$ 行未改动',
  'Revert this chunk': '撤销这处改动',
  Accept: '接受',
  Reject: '拒绝',
  to: '到',
});
