export const TEST_ADMIN_PASSWORD = 'test-admin-password'
/** The sample catalogue's marriage registration item (民政局), open to both partners. */
export const MARRIAGE_BASIC_CODE = '000105001000'
export const MARRIAGE_ITEM_CODE = '11440233MB2C57298J4000105001000'
