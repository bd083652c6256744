/**
 * The bundled common-password list (LG-1, ASVS 6.2.4): the 10,000 most common passwords of
 * zxcvbn-ts's ranked list (`@zxcvbn-ts/language-common`, MIT, drawn from leaked-password
 * corpora), plus our own frequent base words and keyboard walks with the suffixes people add to
 * pass length rules. Only entries of 8+ characters matter (shorter ones fail the length rule
 * first). Compared case-insensitively. Healthchecks has no such check; Django's
 * CommonPasswordValidator (a top-20,000 list) is the model.
 */
import { dictionary } from '@zxcvbn-ts/language-common'

/** The spec's "bundled top-10 000 common list". */
const TOP_RANKED = 10_000

const BASE_WORDS = `
password passw0rd p@ssw0rd p@ssword pa55word passwort motdepasse contrasena
qwerty qwertyu qwertyui qwertyuiop asdfgh asdfghj asdfghjk asdfghjkl zxcvbn zxcvbnm
qazwsx qazwsxedc 1qaz2wsx zaq12wsx zaq1zaq1 q1w2e3r4 q1w2e3r4t5 1q2w3e4r 1q2w3e4r5t
qweasd qweasdzxc azerty azertyuiop abcdef abcdefg abcdefgh abc123 aaaaaa
iloveyou iloveu loveme lovely loveyou forever sunshine princess princesa butterfly
football baseball basketball soccer hockey tennis golfer
welcome letmein trustno1 whatever nothing secret access master superman batman spiderman
michael jennifer jordan hunter charlie andrew joshua daniel robert thomas william matthew
jessica ashley amanda nicole michelle samantha elizabeth alexander victoria natasha
monkey dragon shadow tigger pepper ginger cookie chocolate cheese banana orange purple
silver golden diamond flower angel family freedom summer winter spring autumn
mustang harley ranger thunder killer starwars pokemon naruto matrix mercedes ferrari porsche
corvette yankees cowboys eagles lakers maverick liverpool chelsea arsenal barcelona
samsung iphone google microsoft windows linux ubuntu apple computer internet
admin administrator root changeme default guest login test testing hello hellohello
jesus christ blessed heaven
vigil healthchecks monitor monitoring cronjob database server
`

const SUFFIXES = [
  '',
  '1',
  '12',
  '123',
  '1234',
  '12345',
  '123456',
  '!',
  '1!',
  '123!',
  '@123',
  '01',
  '69',
  '99',
  '007',
  '2000',
  '2020',
  '2021',
  '2022',
  '2023',
  '2024',
  '2025',
  '2026',
]

const EXTRA = `
12345678 123456789 1234567890 0123456789 87654321 987654321 9876543210 01234567
11223344 12121212 12344321 12341234 123123123 123321123 147258369 741852963 789456123
147852369 159753456 159357456 963852741 321654987 112233445566 1029384756 5201314520
1234qwer qwer1234 asdf1234 zxcv1234 abcd1234 1234abcd a1b2c3d4 a1b2c3d4e5 aa123456
aa12345678 abc12345 abc123456 abcd12345 pass1234 test1234 admin1234 root1234 qwerty12345
iloveyou2 11111111a 1111aaaa aaaa1111 asdasdasd qweqweqwe zxczxczxc
`

function buildList(): Set<string> {
  const out = new Set<string>()
  for (const word of BASE_WORDS.split(/\s+/).filter(Boolean))
    for (const suffix of SUFFIXES) out.add(`${word}${suffix}`)
  for (const entry of EXTRA.split(/\s+/).filter(Boolean)) out.add(entry)
  for (const entry of dictionary['passwords-common'].slice(0, TOP_RANKED))
    out.add(entry.toLowerCase())
  return new Set([...out].filter((p) => p.length >= 8))
}

const COMMON = buildList()

/** How many entries the list holds (documentation and tests). */
export const COMMON_PASSWORD_COUNT = COMMON.size

/** True for a listed password, or one character repeated (`aaaaaaaa`, `00000000`). */
export function isCommonPassword(password: string): boolean {
  const p = password.toLowerCase()
  if (/^(.)\1*$/u.test(p)) return true
  return COMMON.has(p)
}
