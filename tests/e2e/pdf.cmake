# PDF: tests/e2e/test_pdf.py runs one case per CTest test (pdf/<case>);
# it checks the PDFs gazette writes with qpdf and poppler-utils (pdftotext,
# pdfinfo, pdffonts) and generates its inputs beyond fixtures/ itself.
set(GZ_PDF_CASES
  fixtures-text cover-header-footer
  page-size-default page-size-a4 page-size-letter page-size-a5
  outline toc-links missing-glyph missing-glyph-options
  layout-extremes title-keep deterministic pdfa split-week fsize-limit fsize-limit-tail
  emoji-fonts emoji-linebreak xmp-bytes lang pdfa-xmp pdfa-output-intent pdfa-fonts-embedded
  pdfa-cidset pdfa-no-encryption pdfa-lang)

foreach(case ${GZ_PDF_CASES})
  add_test(NAME pdf/${case}
    COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/test_pdf.py $<TARGET_FILE:gazette>
      ${CMAKE_SOURCE_DIR} ${case}
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  set_tests_properties(pdf/${case} PROPERTIES LABELS "e2e;pdf" TIMEOUT 120)
endforeach()
