/**
 * A proposed weekly group in words. Groups meet at Bris's premises and gather children from the whole
 * city: the planner names a district only when every child of the group lives in it.
 */
export const weeklyGroupSv = (district?: string) =>
  district ? `veckogrupp i ${district}` : 'veckogrupp (barn från flera stadsdelsområden)';
export const weeklyGroupEn = (district?: string) =>
  district ? `weekly group in ${district}` : 'weekly group (children from several districts)';
