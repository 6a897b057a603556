/** URL paths shared by the HTTP setup and the modules that mount on them. */
export const API_PREFIX = 'api';
export const ADMIN_UI_PATH = '/admin';
export const BULL_BOARD_PATH = '/admin/queues';
