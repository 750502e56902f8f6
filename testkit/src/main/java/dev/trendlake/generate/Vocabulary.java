package dev.trendlake.generate;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A small embedded vocabulary for realistic text: English words, phrases in the scripts real
 * trending files carry (Cyrillic, Japanese, Korean, Devanagari, accented Latin) and emoji. The
 * generator must work without any sample files, so the words live here.
 */
final class Vocabulary {
  private Vocabulary() {}

  static final List<String> ENGLISH =
      List.of(
          "official",
          "video",
          "music",
          "live",
          "new",
          "trailer",
          "episode",
          "full",
          "reaction",
          "challenge",
          "vlog",
          "best",
          "funny",
          "moments",
          "highlights",
          "game",
          "review",
          "unboxing",
          "tutorial",
          "how",
          "to",
          "make",
          "the",
          "world",
          "record",
          "first",
          "time",
          "ever",
          "season",
          "finale",
          "part",
          "behind",
          "scenes",
          "interview",
          "late",
          "night",
          "show",
          "news",
          "update",
          "week",
          "tonight",
          "morning",
          "prank",
          "family",
          "cooking",
          "recipe",
          "easy",
          "simple",
          "summer",
          "winter",
          "travel",
          "guide",
          "tips",
          "tricks",
          "secret",
          "story",
          "time",
          "real",
          "fake",
          "test",
          "vs",
          "battle",
          "extreme",
          "amazing",
          "incredible",
          "epic",
          "fail",
          "compilation",
          "song",
          "cover",
          "acoustic",
          "remix",
          "audio",
          "lyrics",
          "dance",
          "performance",
          "award",
          "speech",
          "football",
          "basketball",
          "match",
          "goals",
          "skills",
          "car",
          "phone",
          "camera",
          "build",
          "gaming",
          "stream",
          "minecraft",
          "fortnite",
          "science",
          "space",
          "history",
          "documentary",
          "explained",
          "minutes",
          "hour",
          "day",
          "subscribe",
          "channel",
          "follow",
          "instagram",
          "twitter",
          "facebook",
          "merch",
          "store",
          "tickets",
          "tour",
          "album",
          "single",
          "produced",
          "directed",
          "edited",
          "starring",
          "featuring",
          "thanks",
          "watching",
          "comment",
          "below",
          "share",
          "friends",
          "notification",
          "bell",
          "don't",
          "forget");

  static final List<String> RUSSIAN =
      List.of(
          "Привет",
          "друзья",
          "новое",
          "видео",
          "смотрите",
          "до",
          "конца",
          "подписывайтесь",
          "на",
          "канал",
          "спасибо",
          "за",
          "просмотр",
          "музыка",
          "клип",
          "премьера",
          "выпуск",
          "шоу",
          "лучшие",
          "моменты");
  static final List<String> JAPANESE =
      List.of(
          "公式",
          "ミュージックビデオ",
          "新曲",
          "ライブ",
          "映像",
          "チャンネル登録",
          "お願いします",
          "今日",
          "は",
          "の",
          "動画",
          "です",
          "ゲーム",
          "実況",
          "料理",
          "簡単",
          "レシピ",
          "キング",
          "東京",
          "ニュース");
  static final List<String> KOREAN =
      List.of(
          "공식", "뮤직비디오", "신곡", "라이브", "영상", "구독", "좋아요", "알림설정", "오늘", "의", "예능", "하이라이트", "먹방",
          "게임", "리뷰", "드라마", "예고", "방송", "뉴스", "팬");
  static final List<String> HINDI =
      List.of(
          "नया",
          "गाना",
          "वीडियो",
          "देखें",
          "पूरा",
          "सब्सक्राइब",
          "करें",
          "चैनल",
          "आज",
          "की",
          "खबर",
          "फिल्म",
          "ट्रेलर",
          "हिंदी",
          "लाइव",
          "मज़ेदार");
  static final List<String> LATIN_ACCENTED =
      List.of(
          "vídeo",
          "canción",
          "oficial",
          "música",
          "año",
          "niños",
          "español",
          "fútbol",
          "très",
          "drôle",
          "été",
          "première",
          "bande-annonce",
          "épisode",
          "Straße",
          "schön",
          "grüße",
          "für",
          "über",
          "Mädchen",
          "corazón",
          "México",
          "Beyoncé",
          "São",
          "Paulo");
  static final List<String> EMOJI =
      List.of("🔥", "😂", "❤️", "👉", "▶", "►", "🎬", "🎵", "✅", "⭐", "👍", "🙏");

  /** The words a region's text is drawn from besides English. */
  static List<String> localFor(String region) {
    return switch (region) {
      case "ru" -> RUSSIAN;
      case "jp" -> JAPANESE;
      case "kr" -> KOREAN;
      case "in" -> HINDI;
      default -> LATIN_ACCENTED;
    };
  }

  static String pick(SplittableRandom rng, List<String> words) {
    return words.get(rng.nextInt(words.size()));
  }

  /** A word: mostly English, often local script, now and then an emoji. */
  static String word(SplittableRandom rng, List<String> local) {
    int r = rng.nextInt(100);
    if (r < 60) {
      return pick(rng, ENGLISH);
    }
    if (r < 95) {
      return pick(rng, local);
    }
    return pick(rng, EMOJI);
  }

  /** {@code n} words separated by spaces. */
  static String words(SplittableRandom rng, List<String> local, int n) {
    StringBuilder sb = new StringBuilder(n * 8);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(word(rng, local));
    }
    return sb.toString();
  }

  private static final String ID_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

  /**
   * An 11-character video id unique for each {@code serial}: the serial is mixed into the 64
   * characters bijectively (11 x 6 bits = 66 bits hold any long), so ids never collide.
   */
  static String videoId(long serial) {
    long x = mix(serial);
    char[] c = new char[11];
    for (int i = 0; i < 11; i++) {
      c[i] = ID_CHARS.charAt((int) (x & 63));
      x >>>= 6;
    }
    return new String(c);
  }

  /** A bijection on longs (splitmix64 finaliser), so distinct serials give distinct ids. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** A 24-character channel id like the API's {@code UC...}. */
  static String channelId(SplittableRandom rng) {
    StringBuilder sb = new StringBuilder("UC");
    for (int i = 0; i < 22; i++) {
      sb.append(ID_CHARS.charAt(rng.nextInt(64)));
    }
    return sb.toString();
  }
}
