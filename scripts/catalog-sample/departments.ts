/**
 * The 47 sample departments. Everything here is fixed data (no randomness), so a department's
 * codes never move when the PRNG draws change.
 *
 * - `sector`: the 4-digit domain part of the national basic codes of this department's items
 *   ("0105" for civil affairs gives 000105001000, the marriage registration item Conghua uses);
 * - `unit`: the USCC registration type: 11 机关, 12 事业单位, 13 群团, 91 企业;
 * - `itemCount`: how many items the department gets (uneven on purpose, sums to 1,162);
 * - `township`: whether its items are of the kind township halls (镇便民服务中心) take in.
 */
export interface SampleDepartment {
  code: string
  name: string
  sector: string
  unit: '11' | '12' | '13' | '91'
  itemCount: number
  township: boolean
}

export const SAMPLE_DEPARTMENTS: readonly SampleDepartment[] = [
  { code: 'MZJ', name: '新丰县民政局', sector: '0105', unit: '11', itemCount: 62, township: true },
  { code: 'GAJ', name: '新丰县公安局', sector: '0104', unit: '11', itemCount: 71, township: true },
  {
    code: 'RSJ',
    name: '新丰县人力资源和社会保障局',
    sector: '0108',
    unit: '11',
    itemCount: 80,
    township: true,
  },
  { code: 'SCJ', name: '新丰县市场监督管理局', sector: '0128', unit: '11', itemCount: 90, township: false },
  { code: 'ZRJ', name: '新丰县自然资源局', sector: '0109', unit: '11', itemCount: 40, township: false },
  { code: 'ZJJ', name: '新丰县住房和城乡建设局', sector: '0111', unit: '11', itemCount: 60, township: false },
  { code: 'JTJ', name: '新丰县交通运输局', sector: '0112', unit: '11', itemCount: 58, township: false },
  { code: 'WJJ', name: '新丰县卫生健康局', sector: '0117', unit: '11', itemCount: 64, township: true },
  { code: 'JYJ', name: '新丰县教育局', sector: '0102', unit: '11', itemCount: 30, township: false },
  {
    code: 'SWJ',
    name: '国家税务总局新丰县税务局',
    sector: '0130',
    unit: '11',
    itemCount: 62,
    township: true,
  },
  { code: 'YBJ', name: '韶关市新丰县医疗保障局', sector: '0133', unit: '11', itemCount: 36, township: true },
  { code: 'BDC', name: '新丰县不动产登记中心', sector: '0209', unit: '12', itemCount: 45, township: false },
  {
    code: 'GJJ',
    name: '韶关市住房公积金管理中心新丰县管理部',
    sector: '0211',
    unit: '12',
    itemCount: 20,
    township: false,
  },
  { code: 'NYJ', name: '新丰县农业农村局', sector: '0114', unit: '11', itemCount: 49, township: true },
  { code: 'LYJ', name: '新丰县林业局', sector: '0134', unit: '11', itemCount: 22, township: true },
  { code: 'SLJ', name: '新丰县水务局', sector: '0113', unit: '11', itemCount: 24, township: false },
  {
    code: 'WLJ',
    name: '新丰县文化广电旅游体育局',
    sector: '0116',
    unit: '11',
    itemCount: 34,
    township: false,
  },
  { code: 'YJJ', name: '新丰县应急管理局', sector: '0119', unit: '11', itemCount: 20, township: false },
  { code: 'TYJ', name: '新丰县退役军人事务局', sector: '0118', unit: '11', itemCount: 18, township: true },
  { code: 'SFJ', name: '新丰县司法局', sector: '0106', unit: '11', itemCount: 14, township: true },
  { code: 'CZJ', name: '新丰县财政局', sector: '0107', unit: '11', itemCount: 9, township: false },
  { code: 'FGJ', name: '新丰县发展和改革局', sector: '0101', unit: '11', itemCount: 14, township: false },
  {
    code: 'GXJ',
    name: '新丰县工业商务和信息化局',
    sector: '0103',
    unit: '11',
    itemCount: 14,
    township: false,
  },
  {
    code: 'HBJ',
    name: '韶关市生态环境局新丰分局',
    sector: '0110',
    unit: '11',
    itemCount: 18,
    township: false,
  },
  { code: 'CLH', name: '新丰县残疾人联合会', sector: '0305', unit: '13', itemCount: 12, township: true },
  { code: 'TJJ', name: '新丰县统计局', sector: '0132', unit: '11', itemCount: 5, township: false },
  { code: 'DAG', name: '新丰县档案馆', sector: '0219', unit: '12', itemCount: 6, township: false },
  { code: 'QXJ', name: '新丰县气象局', sector: '0140', unit: '11', itemCount: 6, township: false },
  { code: 'XFJY', name: '新丰县消防救援大队', sector: '0120', unit: '11', itemCount: 8, township: false },
  { code: 'YCJ', name: '新丰县烟草专卖局', sector: '0142', unit: '11', itemCount: 6, township: true },
  {
    code: 'GDJ',
    name: '广东电网有限责任公司韶关新丰供电局',
    sector: '0401',
    unit: '91',
    itemCount: 16,
    township: true,
  },
  { code: 'GSGS', name: '新丰县自来水有限公司', sector: '0402', unit: '91', itemCount: 8, township: false },
  { code: 'SJJ', name: '新丰县审计局', sector: '0131', unit: '11', itemCount: 5, township: false },
  { code: 'XFJ', name: '新丰县信访局', sector: '0150', unit: '11', itemCount: 5, township: false },
  {
    code: 'ZSJ',
    name: '新丰县政务服务数据管理局',
    sector: '0151',
    unit: '11',
    itemCount: 8,
    township: false,
  },
  { code: 'GZC', name: '新丰县公证处', sector: '0206', unit: '12', itemCount: 10, township: false },
  {
    code: 'CGJ',
    name: '新丰县城市管理和综合执法局',
    sector: '0135',
    unit: '11',
    itemCount: 16,
    township: false,
  },
  { code: 'MZZJ', name: '新丰县民族宗教事务局', sector: '0136', unit: '11', itemCount: 8, township: false },
  { code: 'FL', name: '新丰县妇女联合会', sector: '0302', unit: '13', itemCount: 5, township: true },
  { code: 'HSH', name: '新丰县红十字会', sector: '0306', unit: '13', itemCount: 6, township: false },
  { code: 'ZGH', name: '新丰县总工会', sector: '0301', unit: '13', itemCount: 7, township: false },
  { code: 'TXW', name: '共青团新丰县委员会', sector: '0303', unit: '13', itemCount: 5, township: false },
  { code: 'RFB', name: '新丰县人民防空办公室', sector: '0137', unit: '11', itemCount: 7, township: false },
  {
    code: 'BB',
    name: '中共新丰县委机构编制委员会办公室',
    sector: '0160',
    unit: '11',
    itemCount: 6,
    township: false,
  },
  {
    code: 'JJDD',
    name: '新丰县公安局交通警察大队',
    sector: '0124',
    unit: '11',
    itemCount: 35,
    township: false,
  },
  {
    code: 'CRJ',
    name: '新丰县公安局出入境管理大队',
    sector: '0125',
    unit: '11',
    itemCount: 12,
    township: false,
  },
  { code: 'JKZX', name: '新丰县疾病预防控制中心', sector: '0217', unit: '12', itemCount: 6, township: false },
]

/**
 * Departments whose work only makes sense on site or inside the county (oversight, inspections,
 * internal registrations): none of their items is drawn for the cross-city agreements.
 */
export const LOCAL_ONLY_DEPARTMENTS: ReadonlySet<string> = new Set([
  'SJJ',
  'XFJ',
  'TJJ',
  'RFB',
  'QXJ',
  'XFJY',
  'BB',
  'MZZJ',
])
