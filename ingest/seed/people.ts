// Names, companies, e-mail addresses, phone numbers and addresses for customers and staff.
import { Random, cumulative } from './random.ts';
import {
  britishStreets,
  chineseBuildings,
  chineseCities,
  chineseCompanySuffixes,
  chineseEmailDomains,
  chineseGivenNames1,
  chineseGivenNames2,
  chineseIndustryWords,
  chineseMobilePrefixes,
  chineseRoads,
  chineseSurnames,
  chineseTradeNames,
  englishFirstNames,
  englishLastNames,
  englishStreets,
  frenchFirstNames,
  frenchLastNames,
  frenchStreets,
  germanFirstNames,
  germanLastNames,
  germanStreets,
  nicknames,
  westernCities,
  westernCompanySuffixes,
  westernCompanyWords,
  westernEmailDomains,
  westernIndustryWords,
  type CityInfo,
  type Country,
  type Industry,
  type Weighted,
} from './vocabulary.ts';

export interface PersonName {
  /** As displayed: 王伟, 欧阳晓明, Mary O'Brien, Robert Smith, Jr. */
  name: string;
  /** ASCII parts for e-mail addresses: given then family name. */
  given: string;
  family: string;
}

class WeightedList<T> {
  private readonly values: readonly T[];
  private readonly cumulativeWeights: Float64Array;
  constructor(items: readonly Weighted<T>[]) {
    this.values = items.map(([value]) => value);
    this.cumulativeWeights = cumulative(items.map(([, weight]) => weight));
  }
  pick(random: Random): T {
    return this.values[random.pickCumulative(this.cumulativeWeights)] as T;
  }
}

const surnames = new WeightedList(chineseSurnames);
const cnCities = new WeightedList(chineseCities.map((city) => [city, city.weight] as const));
const westCities = {
  US: new WeightedList(westernCities.US.map((city) => [city, city.weight] as const)),
  GB: new WeightedList(westernCities.GB.map((city) => [city, city.weight] as const)),
  DE: new WeightedList(westernCities.DE.map((city) => [city, city.weight] as const)),
  FR: new WeightedList(westernCities.FR.map((city) => [city, city.weight] as const)),
};
const cnEmailDomains = new WeightedList(chineseEmailDomains);
const westEmailDomains = {
  US: new WeightedList(westernEmailDomains.US),
  GB: new WeightedList(westernEmailDomains.GB),
  DE: new WeightedList(westernEmailDomains.DE),
  FR: new WeightedList(westernEmailDomains.FR),
};
const cnCompanySuffixes = new WeightedList(chineseCompanySuffixes);

export function pickCity(random: Random, country: Country): CityInfo {
  return country === 'CN' ? cnCities.pick(random) : westCities[country].pick(random);
}

export function chineseName(random: Random): PersonName {
  const [surname, surnamePinyin] = surnames.pick(random);
  // About a third of given names are one character (王伟, 李娜), the rest two (张子涵, 欧阳晓明).
  const [given, givenPinyin] = random.chance(0.35) ? random.pick(chineseGivenNames1) : random.pick(chineseGivenNames2);
  return { name: surname + given, given: givenPinyin, family: surnamePinyin };
}

/**
 * Western names by country. A few carry the characters that break naive CSV and SQL handling:
 * apostrophes (O'Brien), commas (", Jr."), and double quotes (William "Bill" Carter).
 */
export function westernName(random: Random, country: Exclude<Country, 'CN'>): PersonName {
  let first: string;
  let last: string;
  if (country === 'DE' && random.chance(0.8)) {
    first = random.pick(germanFirstNames);
    last = random.pick(germanLastNames);
  } else if (country === 'FR' && random.chance(0.8)) {
    first = random.pick(frenchFirstNames);
    last = random.pick(frenchLastNames);
  } else {
    first = random.pick(englishFirstNames);
    last = random.pick(englishLastNames);
  }
  let name = `${first} ${last}`;
  const variant = random.next();
  const nickname = nicknames[first];
  if (variant < 0.004 && nickname !== undefined) name = `${first} "${nickname}" ${last}`;
  else if (variant < 0.008 && country === 'US' && JUNIOR_FIRST_NAMES.has(first)) name = `${first} ${last}, Jr.`;
  else if (variant < 0.01) name = `${last}, ${first}`;
  return { name, given: asciiSlug(first), family: asciiSlug(last) };
}

const JUNIOR_FIRST_NAMES = new Set(['James', 'John', 'Robert', 'Michael', 'William', 'David', 'Richard', 'Joseph', 'Thomas', 'Charles', 'Christopher', 'Daniel', 'Matthew', 'Anthony', 'Mark', 'Andrew', 'George', 'Samuel']);

/** Lower-case ASCII for e-mail local parts and domains (Müller -> mueller, O'Brien -> obrien). */
export function asciiSlug(text: string): string {
  let slug = slugs.get(text);
  if (slug === undefined) {
    slug = toAsciiSlug(text);
    slugs.set(text, slug);
  }
  return slug;
}

// Names come from short lists, so their slugs are computed once.
const slugs = new Map<string, string>();

function toAsciiSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9-]/g, '');
}

/**
 * A number unique per id (an affine bijection modulo 10^digits), so e-mail addresses and phone
 * numbers never repeat while still looking random.
 */
export function uniqueDigits(id: number, salt: number, digits: number): string {
  const modulus = 10 ** digits;
  // 7_919_371 is odd and not a multiple of 5, so it is invertible modulo any power of ten.
  const value = (((id % modulus) * 7_919_371 + (salt % modulus)) % modulus + modulus) % modulus;
  return String(value).padStart(digits, '0');
}

export function customerEmail(random: Random, country: Country, person: PersonName, id: number, salt: number, digits: number): string {
  const number = uniqueDigits(id, salt, digits);
  if (country === 'CN') {
    const domain = cnEmailDomains.pick(random);
    if (domain === 'qq.com' && random.chance(0.6)) return `${String(Number(number) + 10 ** digits)}@qq.com`;
    const style = random.int(3);
    const local = style === 0 ? `${person.family}${person.given}` : style === 1 ? `${person.given}.${person.family}` : `${person.family}_${person.given}`;
    return `${local}${number}@${domain}`;
  }
  const domain = westEmailDomains[country].pick(random);
  const style = random.int(3);
  const local = style === 0 ? `${person.given}.${person.family}` : style === 1 ? `${person.given.charAt(0)}${person.family}` : `${person.given}${person.family}`;
  return `${local}${number}@${domain}`;
}

export function customerPhone(random: Random, country: Country, city: CityInfo, id: number, salt: number): string {
  switch (country) {
    case 'CN': {
      const digits = uniqueDigits(id, salt, 8);
      return `+86 ${random.pick(chineseMobilePrefixes)} ${digits.slice(0, 4)} ${digits.slice(4)}`;
    }
    case 'US': {
      const digits = uniqueDigits(id, salt, 7);
      // North American exchange codes cannot start with 0 or 1.
      const exchange = String(200 + (Number(digits.slice(0, 3)) % 800));
      return `+1 ${city.dial} ${exchange} ${digits.slice(3)}`;
    }
    case 'GB': {
      const digits = uniqueDigits(id, salt, 8);
      return city.dial.length === 2 ? `+44 ${city.dial} ${digits.slice(0, 4)} ${digits.slice(4)}` : `+44 ${city.dial} ${digits.slice(1, 4)} ${digits.slice(4)}`;
    }
    case 'DE':
      return `+49 ${city.dial} ${uniqueDigits(id, salt, 8)}`;
    case 'FR': {
      const d = uniqueDigits(id, salt, 8);
      return `+33 ${city.dial} ${d.slice(0, 2)} ${d.slice(2, 4)} ${d.slice(4, 6)} ${d.slice(6)}`;
    }
  }
}

export function customerAddress(random: Random, country: Country, city: CityInfo): string {
  const area = random.pick(city.area);
  switch (country) {
    case 'CN': {
      const building = random.pick(chineseBuildings);
      const floor = building ? `${2 + random.int(28)}层` : '';
      return `${city.city}市${area}${random.pick(chineseRoads)}${1 + random.int(400)}号${building}${floor}`;
    }
    case 'US':
      return `${1 + random.int(9800)} ${random.pick(englishStreets)}, ${city.city}, ${area}`;
    case 'GB':
      return `${1 + random.int(250)} ${random.pick(britishStreets)}, ${city.city} ${area}`;
    case 'DE':
      return `${random.pick(germanStreets)} ${1 + random.int(180)}, ${area} ${city.city}`;
    case 'FR':
      return `${1 + random.int(150)} ${random.pick(frenchStreets)}, ${area} ${city.city}`;
  }
}

export function companyName(random: Random, country: Country, city: CityInfo, industry: Industry): string {
  if (country === 'CN') {
    const [tradeName] = random.pick(chineseTradeNames);
    // Most registered names start with the city: 上海星辰科技有限公司.
    const prefix = random.chance(0.8) ? city.city : '';
    return `${prefix}${tradeName}${random.pick(chineseIndustryWords[industry])}${cnCompanySuffixes.pick(random)}`;
  }
  const suffix = random.pick(westernCompanySuffixes[country]);
  const joiner = suffix.startsWith(',') ? '' : ' ';
  const base = random.chance(0.3)
    ? `${familyName(random, country)} & ${familyName(random, country)}`
    : `${random.pick(westernCompanyWords)} ${random.pick(westernIndustryWords[industry])}`;
  return `${base}${joiner}${suffix}`;
}

function familyName(random: Random, country: Exclude<Country, 'CN'>): string {
  if (country === 'DE') return random.pick(germanLastNames);
  if (country === 'FR') return random.pick(frenchLastNames);
  return random.pick(englishLastNames);
}
