// Word lists the demo data is drawn from: names, companies, places, subjects. Weights are rough
// real-world frequencies (Chinese surnames, city sizes) so the data looks like a real customer base.

/** A Chinese word with its pinyin (for e-mail addresses and company domains). */
export type Hanzi = readonly [hanzi: string, pinyin: string];
export type Weighted<T> = readonly [value: T, weight: number];

export const chineseSurnames: readonly Weighted<Hanzi>[] = [
  [['王', 'wang'], 7.1], [['李', 'li'], 7.0], [['张', 'zhang'], 6.8], [['刘', 'liu'], 5.4], [['陈', 'chen'], 4.5],
  [['杨', 'yang'], 3.1], [['黄', 'huang'], 2.2], [['赵', 'zhao'], 2.0], [['吴', 'wu'], 1.9], [['周', 'zhou'], 1.9],
  [['徐', 'xu'], 1.3], [['孙', 'sun'], 1.3], [['马', 'ma'], 1.1], [['朱', 'zhu'], 1.1], [['胡', 'hu'], 1.0],
  [['郭', 'guo'], 1.0], [['何', 'he'], 0.9], [['林', 'lin'], 0.9], [['高', 'gao'], 0.9], [['罗', 'luo'], 0.8],
  [['郑', 'zheng'], 0.8], [['梁', 'liang'], 0.7], [['谢', 'xie'], 0.6], [['宋', 'song'], 0.6], [['唐', 'tang'], 0.6],
  [['许', 'xu'], 0.5], [['韩', 'han'], 0.5], [['冯', 'feng'], 0.5], [['邓', 'deng'], 0.5], [['曹', 'cao'], 0.5],
  [['彭', 'peng'], 0.5], [['曾', 'zeng'], 0.5], [['肖', 'xiao'], 0.5], [['田', 'tian'], 0.4], [['董', 'dong'], 0.4],
  [['袁', 'yuan'], 0.4], [['潘', 'pan'], 0.4], [['于', 'yu'], 0.4], [['蒋', 'jiang'], 0.4], [['蔡', 'cai'], 0.4],
  [['余', 'yu'], 0.4], [['杜', 'du'], 0.4], [['叶', 'ye'], 0.4], [['程', 'cheng'], 0.4], [['苏', 'su'], 0.3],
  [['魏', 'wei'], 0.3], [['吕', 'lv'], 0.3], [['丁', 'ding'], 0.3], [['任', 'ren'], 0.3], [['沈', 'shen'], 0.3],
  [['姚', 'yao'], 0.3], [['卢', 'lu'], 0.3], [['姜', 'jiang'], 0.3], [['崔', 'cui'], 0.3], [['钟', 'zhong'], 0.3],
  [['谭', 'tan'], 0.3], [['陆', 'lu'], 0.3], [['汪', 'wang'], 0.3], [['范', 'fan'], 0.3], [['金', 'jin'], 0.3],
  [['石', 'shi'], 0.2], [['廖', 'liao'], 0.2], [['贾', 'jia'], 0.2], [['夏', 'xia'], 0.2], [['韦', 'wei'], 0.2],
  [['方', 'fang'], 0.2], [['白', 'bai'], 0.2], [['邹', 'zou'], 0.2], [['孟', 'meng'], 0.2], [['熊', 'xiong'], 0.2],
  [['秦', 'qin'], 0.2], [['邱', 'qiu'], 0.2], [['江', 'jiang'], 0.2], [['尹', 'yin'], 0.2], [['薛', 'xue'], 0.2],
  [['段', 'duan'], 0.2], [['雷', 'lei'], 0.2], [['侯', 'hou'], 0.2], [['龙', 'long'], 0.2], [['史', 'shi'], 0.2],
  [['陶', 'tao'], 0.2], [['黎', 'li'], 0.2], [['贺', 'he'], 0.2], [['顾', 'gu'], 0.2], [['毛', 'mao'], 0.2],
  [['郝', 'hao'], 0.2], [['龚', 'gong'], 0.2], [['邵', 'shao'], 0.2], [['万', 'wan'], 0.2], [['钱', 'qian'], 0.2],
  [['严', 'yan'], 0.2], [['武', 'wu'], 0.2], [['戴', 'dai'], 0.2], [['孔', 'kong'], 0.1], [['汤', 'tang'], 0.1],
  // Compound (two-character) surnames are rare but real.
  [['欧阳', 'ouyang'], 0.08], [['司马', 'sima'], 0.03], [['上官', 'shangguan'], 0.03], [['诸葛', 'zhuge'], 0.03],
  [['司徒', 'situ'], 0.03], [['东方', 'dongfang'], 0.02], [['皇甫', 'huangfu'], 0.02], [['慕容', 'murong'], 0.01],
  [['令狐', 'linghu'], 0.01], [['夏侯', 'xiahou'], 0.01],
];

/** One-character given names (王伟, 李娜, 张敏). */
export const chineseGivenNames1: readonly Hanzi[] = [
  ['伟', 'wei'], ['芳', 'fang'], ['娜', 'na'], ['敏', 'min'], ['静', 'jing'], ['丽', 'li'], ['强', 'qiang'], ['磊', 'lei'],
  ['军', 'jun'], ['洋', 'yang'], ['勇', 'yong'], ['艳', 'yan'], ['杰', 'jie'], ['娟', 'juan'], ['涛', 'tao'], ['明', 'ming'],
  ['超', 'chao'], ['霞', 'xia'], ['平', 'ping'], ['刚', 'gang'], ['辉', 'hui'], ['鹏', 'peng'], ['华', 'hua'], ['飞', 'fei'],
  ['鑫', 'xin'], ['波', 'bo'], ['斌', 'bin'], ['宇', 'yu'], ['浩', 'hao'], ['凯', 'kai'], ['健', 'jian'], ['琳', 'lin'],
  ['雪', 'xue'], ['婷', 'ting'], ['倩', 'qian'], ['颖', 'ying'], ['晨', 'chen'], ['瑶', 'yao'], ['欣', 'xin'], ['佳', 'jia'],
];

/** Two-character given names (欧阳晓明, 张子涵). */
export const chineseGivenNames2: readonly Hanzi[] = [
  ['秀英', 'xiuying'], ['桂英', 'guiying'], ['建华', 'jianhua'], ['志强', 'zhiqiang'], ['晓明', 'xiaoming'], ['海燕', 'haiyan'],
  ['建国', 'jianguo'], ['子涵', 'zihan'], ['浩然', 'haoran'], ['欣怡', 'xinyi'], ['雨轩', 'yuxuan'], ['梓萱', 'zixuan'],
  ['一诺', 'yinuo'], ['俊杰', 'junjie'], ['思远', 'siyuan'], ['嘉怡', 'jiayi'], ['宇航', 'yuhang'], ['佳琪', 'jiaqi'],
  ['文博', 'wenbo'], ['晓燕', 'xiaoyan'], ['丽娟', 'lijuan'], ['国强', 'guoqiang'], ['志明', 'zhiming'], ['美玲', 'meiling'],
  ['晓东', 'xiaodong'], ['海涛', 'haitao'], ['云飞', 'yunfei'], ['雅婷', 'yating'], ['明轩', 'mingxuan'], ['紫涵', 'zihan'],
  ['天佑', 'tianyou'], ['若曦', 'ruoxi'], ['博文', 'bowen'], ['诗涵', 'shihan'], ['子轩', 'zixuan'], ['梦琪', 'mengqi'],
  ['俊宇', 'junyu'], ['静怡', 'jingyi'], ['伟东', 'weidong'], ['春梅', 'chunmei'], ['玉兰', 'yulan'], ['德华', 'dehua'],
];

export type Country = 'CN' | 'US' | 'GB' | 'DE' | 'FR';

export interface CityInfo {
  city: string;
  region: string;
  weight: number;
  /** CN: districts; elsewhere: postcode (or state for the US). */
  area: readonly string[];
  /** Landline area code (West only). */
  dial: string;
}

export const chineseCities: readonly CityInfo[] = [
  { city: '北京', region: '华北', weight: 10, area: ['朝阳区', '海淀区', '东城区', '西城区', '丰台区'], dial: '' },
  { city: '天津', region: '华北', weight: 3, area: ['和平区', '南开区', '河西区'], dial: '' },
  { city: '石家庄', region: '华北', weight: 1.5, area: ['长安区', '桥西区'], dial: '' },
  { city: '太原', region: '华北', weight: 1, area: ['小店区', '迎泽区'], dial: '' },
  { city: '上海', region: '华东', weight: 10, area: ['浦东新区', '徐汇区', '静安区', '闵行区', '长宁区'], dial: '' },
  { city: '杭州', region: '华东', weight: 5, area: ['西湖区', '滨江区', '余杭区', '上城区'], dial: '' },
  { city: '南京', region: '华东', weight: 4, area: ['鼓楼区', '玄武区', '江宁区'], dial: '' },
  { city: '苏州', region: '华东', weight: 4, area: ['姑苏区', '吴中区', '相城区'], dial: '' },
  { city: '宁波', region: '华东', weight: 2, area: ['鄞州区', '海曙区'], dial: '' },
  { city: '青岛', region: '华东', weight: 2, area: ['市南区', '崂山区'], dial: '' },
  { city: '济南', region: '华东', weight: 1.5, area: ['历下区', '市中区'], dial: '' },
  { city: '合肥', region: '华东', weight: 1.5, area: ['蜀山区', '包河区'], dial: '' },
  { city: '厦门', region: '华东', weight: 1.5, area: ['思明区', '湖里区'], dial: '' },
  { city: '福州', region: '华东', weight: 1.2, area: ['鼓楼区', '台江区'], dial: '' },
  { city: '深圳', region: '华南', weight: 8, area: ['南山区', '福田区', '宝安区', '龙岗区'], dial: '' },
  { city: '广州', region: '华南', weight: 7, area: ['天河区', '越秀区', '海珠区', '番禺区'], dial: '' },
  { city: '东莞', region: '华南', weight: 2, area: ['南城街道', '东城街道'], dial: '' },
  { city: '佛山', region: '华南', weight: 2, area: ['禅城区', '顺德区'], dial: '' },
  { city: '南宁', region: '华南', weight: 1, area: ['青秀区', '兴宁区'], dial: '' },
  { city: '武汉', region: '华中', weight: 3, area: ['武昌区', '江汉区', '洪山区'], dial: '' },
  { city: '长沙', region: '华中', weight: 2.5, area: ['岳麓区', '天心区', '雨花区'], dial: '' },
  { city: '郑州', region: '华中', weight: 2, area: ['金水区', '二七区'], dial: '' },
  { city: '成都', region: '西南', weight: 5, area: ['锦江区', '武侯区', '青羊区', '成华区'], dial: '' },
  { city: '重庆', region: '西南', weight: 4, area: ['渝中区', '江北区', '南岸区'], dial: '' },
  { city: '昆明', region: '西南', weight: 1.2, area: ['五华区', '盘龙区'], dial: '' },
  { city: '贵阳', region: '西南', weight: 0.8, area: ['云岩区', '观山湖区'], dial: '' },
  { city: '西安', region: '西北', weight: 2.5, area: ['雁塔区', '碑林区', '未央区'], dial: '' },
  { city: '兰州', region: '西北', weight: 0.6, area: ['城关区', '七里河区'], dial: '' },
  { city: '沈阳', region: '东北', weight: 1.5, area: ['和平区', '沈河区'], dial: '' },
  { city: '大连', region: '东北', weight: 1.5, area: ['中山区', '沙河口区'], dial: '' },
  { city: '哈尔滨', region: '东北', weight: 1.2, area: ['南岗区', '道里区'], dial: '' },
];

export const westernCities: Readonly<Record<Exclude<Country, 'CN'>, readonly CityInfo[]>> = {
  US: [
    { city: 'New York', region: 'North America', weight: 8, area: ['NY 10001', 'NY 10013', 'NY 11201'], dial: '212' },
    { city: 'Los Angeles', region: 'North America', weight: 6, area: ['CA 90012', 'CA 90028'], dial: '213' },
    { city: 'Chicago', region: 'North America', weight: 4, area: ['IL 60601', 'IL 60614'], dial: '312' },
    { city: 'San Francisco', region: 'North America', weight: 4, area: ['CA 94103', 'CA 94110'], dial: '415' },
    { city: 'Seattle', region: 'North America', weight: 3, area: ['WA 98101', 'WA 98109'], dial: '206' },
    { city: 'Austin', region: 'North America', weight: 2.5, area: ['TX 78701', 'TX 78704'], dial: '512' },
    { city: 'Boston', region: 'North America', weight: 2.5, area: ['MA 02108', 'MA 02116'], dial: '617' },
    { city: 'Miami', region: 'North America', weight: 2, area: ['FL 33130', 'FL 33139'], dial: '305' },
  ],
  GB: [
    { city: 'London', region: 'Europe', weight: 8, area: ['EC1A 1BB', 'SW1A 2AA', 'W1D 3QF'], dial: '20' },
    { city: 'Manchester', region: 'Europe', weight: 3, area: ['M1 1AE', 'M4 5JD'], dial: '161' },
    { city: 'Birmingham', region: 'Europe', weight: 2.5, area: ['B1 1BB', 'B15 2TT'], dial: '121' },
    { city: 'Edinburgh', region: 'Europe', weight: 1.5, area: ['EH1 1YZ', 'EH8 9YL'], dial: '131' },
    { city: 'Bristol', region: 'Europe', weight: 1.5, area: ['BS1 4DJ', 'BS8 1TH'], dial: '117' },
  ],
  DE: [
    { city: 'Berlin', region: 'Europe', weight: 6, area: ['10115', '10178', '10435'], dial: '30' },
    { city: 'München', region: 'Europe', weight: 4, area: ['80331', '80469'], dial: '89' },
    { city: 'Hamburg', region: 'Europe', weight: 3.5, area: ['20095', '22767'], dial: '40' },
    { city: 'Frankfurt am Main', region: 'Europe', weight: 2.5, area: ['60311', '60594'], dial: '69' },
    { city: 'Köln', region: 'Europe', weight: 2.5, area: ['50667', '50823'], dial: '221' },
  ],
  FR: [
    { city: 'Paris', region: 'Europe', weight: 8, area: ['75001', '75011', '75015'], dial: '1' },
    { city: 'Lyon', region: 'Europe', weight: 3, area: ['69001', '69003'], dial: '4' },
    { city: 'Marseille', region: 'Europe', weight: 2.5, area: ['13001', '13008'], dial: '4' },
    { city: 'Toulouse', region: 'Europe', weight: 2, area: ['31000', '31400'], dial: '5' },
    { city: 'Bordeaux', region: 'Europe', weight: 1.5, area: ['33000', '33800'], dial: '5' },
  ],
};

export const chineseRoads = ['人民路', '中山路', '建设路', '解放路', '长江路', '和平路', '新华路', '科技路', '文化路', '学府路', '滨江大道', '世纪大道', '南京路', '天府大道'] as const;
export const chineseBuildings = ['', '', '', '国际大厦', '科技园', '中心广场', '商务楼', '写字楼'] as const;

export const englishStreets = ['Main St', 'Oak Ave', 'Maple Dr', 'Park Ave', '2nd St', 'Market St', 'Elm St', 'Washington Blvd', 'Cedar Ln', 'Lake Shore Dr'] as const;
export const britishStreets = ['High Street', 'Baker Street', 'Station Road', 'Church Lane', 'Victoria Road', 'King Street', 'Queen\'s Road', 'Mill Lane'] as const;
export const germanStreets = ['Hauptstraße', 'Bahnhofstraße', 'Gartenstraße', 'Schillerstraße', 'Goethestraße', 'Lindenallee', 'Friedrichstraße'] as const;
export const frenchStreets = ['rue de Rivoli', 'rue de la Paix', 'avenue Victor Hugo', 'boulevard Saint-Michel', 'rue du Faubourg Saint-Honoré', 'place Bellecour', 'rue de l\'Église'] as const;

export const englishFirstNames = [
  'James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'William', 'Elizabeth', 'David', 'Barbara',
  'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen', 'Christopher', 'Emily', 'Daniel', 'Emma',
  'Matthew', 'Olivia', 'Anthony', 'Sophia', 'Mark', 'Grace', 'Andrew', 'Chloe', 'Oliver', 'Amelia', 'George', 'Isla',
  'Harry', 'Charlotte', 'Jack', 'Lucy', 'Ethan', 'Ava', 'Noah', 'Mia', 'Liam', 'Zoe', 'Samuel', 'Hannah',
] as const;

export const englishLastNames = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor', 'Thomas',
  'Moore', 'Jackson', 'Martin', 'Lee', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Walker', 'Hall', 'Young',
  'King', 'Wright', 'Scott', 'Green', 'Baker', 'Adams', 'Nelson', 'Hill', 'Campbell', 'Mitchell', 'Roberts', 'Evans',
  'Turner', 'Collins', 'Murphy', 'Cooper', 'Hughes', 'Edwards', 'O\'Brien', 'O\'Connor', 'O\'Neill', 'D\'Souza', 'McDonald', 'Patel',
] as const;

export const germanFirstNames = ['Lukas', 'Hannah', 'Felix', 'Lena', 'Maximilian', 'Anna', 'Jonas', 'Marie', 'Leon', 'Sophie', 'Jürgen', 'Käthe', 'Tobias', 'Julia', 'Stefan', 'Sabine'] as const;
export const germanLastNames = ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann', 'Schäfer', 'Koch', 'Bauer', 'Richter', 'Klein', 'Wolf', 'Schröder', 'Neumann'] as const;
export const frenchFirstNames = ['Louis', 'Camille', 'Hugo', 'Léa', 'Jean-Luc', 'Chloé', 'Mathis', 'Inès', 'Gabriel', 'Manon', 'Raphaël', 'Zoé', 'Arthur', 'Juliette', 'François', 'Hélène'] as const;
export const frenchLastNames = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefèvre', 'Michel', 'Garcia', 'D\'Arcy', 'Girard', 'Rousseau'] as const;

/** Nicknames written in quotes: `William "Bill" Carter` exercises CSV quote escaping. */
export const nicknames: Readonly<Record<string, string>> = {
  William: 'Bill', Robert: 'Bob', Elizabeth: 'Liz', Richard: 'Rick', James: 'Jim', Thomas: 'Tom', Joseph: 'Joe', Samuel: 'Sam',
};

export const industries = ['Retail', 'Manufacturing', 'Technology', 'Logistics', 'Food & Beverage', 'Healthcare', 'Education', 'Finance', 'Media', 'Real Estate'] as const;
export type Industry = (typeof industries)[number];
export const industryWeights = [18, 16, 16, 9, 10, 8, 6, 6, 5, 6] as const;

/** Chinese company name parts: trade name (字号) with pinyin, industry words, legal suffix. */
export const chineseTradeNames: readonly Hanzi[] = [
  ['星辰', 'xingchen'], ['华信', 'huaxin'], ['博远', 'boyuan'], ['恒通', 'hengtong'], ['瑞丰', 'ruifeng'], ['金桥', 'jinqiao'],
  ['云帆', 'yunfan'], ['鼎盛', 'dingsheng'], ['天成', 'tiancheng'], ['中科', 'zhongke'], ['新纪元', 'xinjiyuan'], ['汇通', 'huitong'],
  ['宏图', 'hongtu'], ['嘉禾', 'jiahe'], ['盛世', 'shengshi'], ['锦程', 'jincheng'], ['腾跃', 'tengyue'], ['联创', 'lianchuang'],
  ['百川', 'baichuan'], ['启明', 'qiming'], ['智远', 'zhiyuan'], ['华彩', 'huacai'], ['众信', 'zhongxin'], ['同创', 'tongchuang'],
  ['润泽', 'runze'], ['凯源', 'kaiyuan'], ['长青', 'changqing'], ['海纳', 'haina'], ['远航', 'yuanhang'], ['东升', 'dongsheng'],
];

export const chineseIndustryWords: Readonly<Record<Industry, readonly string[]>> = {
  Retail: ['商贸', '贸易', '百货'],
  Manufacturing: ['机械制造', '电子', '精密制造'],
  Technology: ['科技', '信息技术', '网络科技', '软件'],
  Logistics: ['物流', '供应链管理'],
  'Food & Beverage': ['食品', '餐饮管理'],
  Healthcare: ['医药', '医疗器械'],
  Education: ['教育科技', '文化传播'],
  Finance: ['投资管理', '融资租赁'],
  Media: ['文化传媒', '广告'],
  'Real Estate': ['置业', '物业管理'],
};
export const chineseCompanySuffixes: readonly Weighted<string>[] = [['有限公司', 70], ['股份有限公司', 20], ['集团有限公司', 10]];

export const westernCompanyWords = [
  'Northwind', 'Blue Harbor', 'Summit', 'Evergreen', 'Silverline', 'Redwood', 'Brightside', 'Ironbridge', 'Oakridge', 'Clearwater',
  'Pioneer', 'Keystone', 'Horizon', 'Atlas', 'Beacon', 'Crescent', 'Granite', 'Maple', 'Riverside', 'Sterling',
] as const;
export const westernIndustryWords: Readonly<Record<Industry, readonly string[]>> = {
  Retail: ['Retail', 'Stores', 'Outfitters'],
  Manufacturing: ['Manufacturing', 'Industries', 'Works'],
  Technology: ['Technologies', 'Software', 'Systems', 'Digital'],
  Logistics: ['Logistics', 'Freight'],
  'Food & Beverage': ['Foods', 'Provisions'],
  Healthcare: ['Health', 'Medical'],
  Education: ['Learning', 'Academy'],
  Finance: ['Capital', 'Partners'],
  Media: ['Media', 'Studios'],
  'Real Estate': ['Properties', 'Realty'],
};
/** Legal suffixes; ", Inc." and "GmbH & Co. KG" put commas and ampersands into company names. */
export const westernCompanySuffixes: Readonly<Record<Exclude<Country, 'CN'>, readonly string[]>> = {
  US: ['Inc.', ', Inc.', 'LLC', 'Corp.', 'Co.'],
  GB: ['Ltd', 'Limited', 'PLC', '& Sons Ltd'],
  DE: ['GmbH', 'AG', 'GmbH & Co. KG'],
  FR: ['SARL', 'SAS', 'SA', '& Fils'],
};

export const chineseEmailDomains: readonly Weighted<string>[] = [['qq.com', 35], ['163.com', 25], ['126.com', 10], ['sina.com', 5], ['foxmail.com', 5], ['139.com', 3]];
export const westernEmailDomains: Readonly<Record<Exclude<Country, 'CN'>, readonly Weighted<string>[]>> = {
  US: [['gmail.com', 45], ['outlook.com', 20], ['yahoo.com', 15], ['icloud.com', 12], ['hotmail.com', 8]],
  GB: [['gmail.com', 40], ['outlook.com', 20], ['btinternet.com', 12], ['yahoo.co.uk', 12], ['icloud.com', 8]],
  DE: [['gmx.de', 30], ['web.de', 25], ['gmail.com', 30], ['t-online.de', 10]],
  FR: [['orange.fr', 25], ['gmail.com', 35], ['free.fr', 15], ['laposte.net', 10], ['outlook.fr', 10]],
};

export const chineseMobilePrefixes = ['138', '139', '137', '136', '135', '150', '151', '152', '158', '159', '186', '187', '188', '177', '180', '189', '133', '153', '199'] as const;

/** [zh-CN, en] pairs: a subject is written in the customer's language. */
export type Bilingual = readonly [zh: string, en: string];

export const outboundSubjects: readonly Bilingual[] = [
  ['售后回访', 'Follow-up call'], ['新品推荐', 'New product introduction'], ['续约沟通', 'Renewal discussion'],
  ['活动邀请', 'Event invitation'], ['满意度调查', 'Satisfaction survey'], ['报价跟进', 'Quote follow-up'],
  ['上门拜访', 'On-site visit'], ['节日问候', 'Season\'s greetings'], ['会员权益介绍', 'Loyalty programme benefits'],
];
export const inboundSubjects: readonly Bilingual[] = [
  ['咨询产品价格', 'Pricing question'], ['订单物流查询', 'Where is my order?'], ['发票问题', 'Question about invoice, VAT number'],
  ['退换货咨询', 'Return request'], ['产品使用咨询', 'How-to question'], ['投诉：配送延迟', 'Complaint: late delivery'],
  ['账户信息变更', 'Account details update'], ['批量采购询价', 'Bulk purchase enquiry'], ['售后维修', 'Repair request'],
];
export const ticketSubjects: readonly Bilingual[] = [
  ['功能咨询', 'How-to question'], ['发票开具', 'Invoice request'], ['账号无法登录', 'Cannot log in'],
  ['会员积分问题', 'Loyalty points missing'], ['付款失败', 'Payment failed'], ['物流延迟', 'Late delivery'],
];
/** Subjects of the tickets customers open while drifting away: complaints, refunds. */
export const complaintSubjects: readonly Bilingual[] = [
  ['退款申请', 'Refund request'], ['商品质量问题', 'Defective item'], ['订单错误', 'Wrong item shipped'],
  ['投诉客服态度', 'Complaint about support'], ['物流延迟', 'Late delivery'], ['重复扣款', 'Charged twice'],
];
export const opportunityNames: readonly Bilingual[] = [
  ['年度采购框架协议', 'Annual supply agreement'], ['门店升级项目', 'Store refresh project'], ['年度续约', 'Contract renewal'],
  ['批量采购', 'Bulk purchase'], ['新品试点合作', 'New product pilot'], ['渠道合作', 'Channel partnership'],
  ['员工福利采购', 'Employee gifts programme'],
];

export interface ProductCategory {
  name: string;
  code: string;
  nouns: readonly string[];
  /** Median list price in USD and spread (log-normal sigma). */
  medianUsd: number;
  sigma: number;
}

export const productCategories: readonly ProductCategory[] = [
  { name: 'Electronics', code: 'ELE', nouns: ['Wireless Earbuds', 'Smart Watch', 'Bluetooth Speaker', 'Power Bank', 'USB-C Hub', '4K Monitor', 'Mechanical Keyboard', 'Action Camera'], medianUsd: 90, sigma: 0.9 },
  { name: 'Home & Kitchen', code: 'HOM', nouns: ['Air Fryer', 'Rice Cooker', 'Coffee Maker', 'Robot Vacuum', 'Air Purifier', 'Knife Set', 'Bedding Set', 'Desk Lamp'], medianUsd: 70, sigma: 0.8 },
  { name: 'Beauty', code: 'BEA', nouns: ['Face Serum', 'Sunscreen SPF50', 'Hair Dryer', 'Lip Balm Set', 'Night Cream', 'Cleansing Oil'], medianUsd: 30, sigma: 0.6 },
  { name: 'Apparel', code: 'APP', nouns: ['Down Jacket', 'Running Shoes', 'Silk Scarf', 'Wool Sweater', 'Rain Coat', 'Backpack', 'Polo Shirt'], medianUsd: 55, sigma: 0.7 },
  { name: 'Food & Tea', code: 'FOO', nouns: ['Longjing Green Tea', 'Pu-erh Tea Cake', 'Coffee Beans 1kg', 'Mooncake Gift Box', 'Snack Box', 'Olive Oil'], medianUsd: 20, sigma: 0.6 },
  { name: 'Office', code: 'OFF', nouns: ['Ergonomic Chair', 'Standing Desk', 'Notebook Pack', 'Label Printer', 'Paper Shredder', 'Whiteboard'], medianUsd: 60, sigma: 1.0 },
  { name: 'Software', code: 'SOF', nouns: ['POS License (annual)', 'Inventory Cloud (annual)', 'CRM Seat (annual)', 'Analytics Add-on'], medianUsd: 400, sigma: 0.7 },
  { name: 'Services', code: 'SER', nouns: ['Installation Service', 'Extended Warranty 2y', 'Training Day', 'Premium Support'], medianUsd: 150, sigma: 0.6 },
];
export const productBrands = ['Nimbus', 'Aurora', 'Lumen', 'Vertex', 'Zephyr', 'Orion', 'Kestrel', 'Solace', 'Harbor', 'Tidal'] as const;
export const productModels = ['X1', 'Pro', 'Mini', 'Max', 'S2', 'Air', 'Plus', 'Lite', '2024', 'Classic'] as const;
