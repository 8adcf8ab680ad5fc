// Paging and sorting of lists (p_num, p_cnt, p_sort, p_order).
export const LISTS: Readonly<Record<string, string>> = {
  'expected a page number from 1': 'ожидается номер страницы, начиная с 1',
  'expected rows per page from 1 to {0} (without p_cnt the whole list is returned)': 'ожидается число строк на странице от 1 до {0} (без p_cnt возвращается весь список)',
  "expected 'asc' (ascending) or 'desc' (descending)": "ожидается 'asc' (по возрастанию) или 'desc' (по убыванию)",
  'not a column of this list: {0}': 'не столбец этого списка: {0}',
};
