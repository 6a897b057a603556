import { checkLanguage, languageMismatch, MAX_SAMPLE_CHARS } from './language.check';
import { lesson, project, tree } from './quality-tree.fixture';

const RUSSIAN =
  'Пчёлы живут семьями. В каждой семье есть матка, рабочие пчёлы и трутни. Летом семья собирает нектар и пыльцу.';
const ENGLISH =
  'Bees live in colonies. Each colony has a queen, the workers and the drones, and they work together with care. ' +
  'In summer the colony gathers nectar and pollen from the flowers that are near the hive, and you can watch this.';
const SPANISH =
  'Las abejas viven en colonias. Cada colonia tiene una reina, obreras y zánganos que trabajan juntos. En verano ' +
  'la colonia recoge néctar y polen de las flores cercanas a la colmena, y todo el mundo puede observarlo.';

describe('the course language, where cheap', () => {
  describe('languageMismatch', () => {
    it('accepts Russian text for a ru course, with code in Latin letters', () => {
      expect(languageMismatch(`${RUSSIAN} const bees = 3;`, 'ru')).toBeNull();
    });

    it('is an error when a ru course is written in Latin letters', () => {
      expect(languageMismatch(ENGLISH, 'ru')).toEqual({
        error: true,
        message: expect.stringMatching(/^is not written in Cyrillic script \(0% of its letters\)/),
      });
    });

    it.each([
      ['el', 'Οι μέλισσες ζουν σε αποικίες με μια βασίλισσα και πολλές εργάτριες κάθε καλοκαίρι.'],
      [
        'ja',
        'ミツバチは女王蜂と働き蜂と雄蜂からなる群れで暮らしています。夏には花から蜜と花粉を集めます。巣箱の入口を観察しましょう。',
      ],
      [
        'ar',
        'يعيش النحل في مستعمرات تضم ملكة وعاملات وذكورا، ويجمع الرحيق وحبوب اللقاح من الأزهار في الصيف.',
      ],
      ['he', 'הדבורים חיות במושבות עם מלכה ופועלות רבות, ובקיץ הן אוספות צוף ואבקה מהפרחים הסמוכים לכוורת.'],
    ])('accepts the script of %s', (language, text) => {
      expect(languageMismatch(text, language)).toBeNull();
    });

    it('says nothing about a text too short to judge', () => {
      expect(languageMismatch('Hive basics', 'ru')).toBeNull();
    });

    it('warns (never an error) when a Latin-script course other than English reads as English', () => {
      expect(languageMismatch(ENGLISH, 'es')).toEqual({
        error: false,
        message: expect.stringMatching(/^looks like English/),
      });
      expect(languageMismatch(SPANISH, 'es')).toBeNull();
      expect(languageMismatch(ENGLISH, 'en')).toBeNull();
      expect(languageMismatch(ENGLISH, 'pt-BR')).not.toBeNull();
    });

    it('judges a text of any size by its opening MAX_SAMPLE_CHARS characters', () => {
      const opening = RUSSIAN.repeat(Math.ceil(MAX_SAMPLE_CHARS / RUSSIAN.length));
      const big = opening + ENGLISH.repeat(20_000);
      expect(languageMismatch(big, 'ru')).toBeNull();
      expect(languageMismatch(ENGLISH.repeat(20_000) + opening, 'ru')).toMatchObject({ error: true });
    });
  });

  describe('checkLanguage', () => {
    it('finds nothing in a course written in its language', () => {
      expect(checkLanguage(tree())).toEqual([]);
      expect(checkLanguage(tree([project('Пчёлы', [lesson('Улей', [], RUSSIAN)])], 'ru'))).toEqual([]);
    });

    it('names the lesson written in another script, as an error', () => {
      const english = lesson('Hives', [], ENGLISH);
      expect(checkLanguage(tree([project('Пчёлы', [english])], 'ru'))).toEqual([
        expect.objectContaining({ check: 'language', severity: 'error', item_id: english.id }),
      ]);
    });
  });
});
