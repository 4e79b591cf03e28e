/**
 * The two partner counties the simulator can play (exchange-protocol-v1.md, "Parties"), with
 * what an agreement with each covers. Item codes follow the sample catalogue and the formats:
 * Conghua sends national basic codes, Longmen its own local codes (crosswalked in the agreement).
 */

import type { PartnerFormat } from '../modules/formats/canonical.js'
import { conghuaXmlV1 } from '../modules/formats/conghua-xml-v1/index.js'
import { longmenJsonV1 } from '../modules/formats/longmen-json-v1/index.js'

export type PartnerName = 'conghua' | 'longmen'
export const PARTNER_NAMES: readonly PartnerName[] = ['conghua', 'longmen']

/** Xinfeng's region code: the gateway is the simulator's only counterpart. */
export const GATEWAY_REGION = '440233'

/** The marriage registration item of the sample catalogue (新丰县民政局). */
export const MARRIAGE_ITEM_CODE = '11440233MB2C57298J4000105001000'

export interface PartnerProfile {
  name: PartnerName
  region: string
  /** Full name as registered in the agreement, and the short names used in printed lines. */
  nameZh: string
  shortZh: string
  shortEn: string
  format: PartnerFormat
  defaultPort: number
  /** Contract sample submitted by default: the mail-delivery marriage registration. */
  defaultSample: string
  /** Prefix of the case numbers it gives out. */
  caseNoPrefix: string
  /** Its own department that handles outbound cases (auto-handle), and the clerk's window. */
  dept: string
  window: { code?: string; name: string }
  clerk: { name: string; id?: string }
  address: string
  /**
   * The Xinfeng item it collects cases for, the code it writes in its documents, and whether the
   * agreement must carry that code as a crosswalk (Longmen) or it is the item's basic code (Conghua).
   */
  inbound: { itemCode: string; sendsCode: string; crosswalk: boolean; itemName: string }
  outbound: { partnerItemCode: string; name: string; promisedDays: number }
}

export const PARTNERS: Readonly<Record<PartnerName, PartnerProfile>> = {
  conghua: {
    name: 'conghua',
    region: '440117',
    nameZh: '广州市从化区',
    shortZh: '从化',
    shortEn: 'Conghua',
    format: conghuaXmlV1,
    defaultPort: 9117,
    defaultSample: 'case-marriage-mail.xml',
    caseNoPrefix: 'CH',
    dept: '从化区人力资源和社会保障局',
    window: { code: 'CH-ZWFW-05', name: '从化区政务服务中心 跨域通办专窗' },
    clerk: { name: '陈小明', id: 'CH0231' },
    address: '广东省广州市从化区街口街道 1 号',
    // The basic code 000105001000 is what Conghua sends: the agreement's default partner code.
    inbound: {
      itemCode: MARRIAGE_ITEM_CODE,
      sendsCode: '000105001000',
      crosswalk: false,
      itemName: '内地居民婚姻登记',
    },
    outbound: { partnerItemCode: '000112017000', name: '城乡居民基本养老保险参保登记', promisedDays: 5 },
  },
  longmen: {
    name: 'longmen',
    region: '441324',
    nameZh: '惠州市龙门县',
    shortZh: '龙门',
    shortEn: 'Longmen',
    format: longmenJsonV1,
    defaultPort: 9324,
    defaultSample: 'case-person-mail.json',
    caseNoPrefix: 'LM',
    dept: '龙门县人力资源和社会保障局',
    window: { name: '龙门县政务服务中心 3号窗口' },
    clerk: { name: '王五' },
    address: '广东省惠州市龙门县龙城街道 8 号',
    inbound: {
      itemCode: MARRIAGE_ITEM_CODE,
      sendsCode: 'LM-441324-MZ-0007',
      crosswalk: true,
      itemName: '内地居民婚姻登记',
    },
    outbound: { partnerItemCode: 'LM-441324-RS-0012', name: '社会保障卡申领', promisedDays: 3 },
  },
}

export function isPartnerName(s: string | undefined): s is PartnerName {
  return s === 'conghua' || s === 'longmen'
}
