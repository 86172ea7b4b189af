/** A page's visible text: no tags, styles or scripts, spaces collapsed, so a table row reads as one line. */
export const visibleText = (page: string) =>
  page
    .replace(/<(style|script)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');
